"""The MCP server: coursegen's course operations as MCP tools, resources and prompts, served
over stdio (`coursegen mcp`) and streamable HTTP (`/mcp` on the API). Every tool calls the same
functions as the REST routes, as the user the caller module resolves."""
