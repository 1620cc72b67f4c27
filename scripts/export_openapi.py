"""Print the API's OpenAPI document (what GET /openapi.json serves with default settings).

web/ generates its typed client from this file: `npm run gen:client` in web/.
"""

from __future__ import annotations

import json
import sys
import tempfile

from api.app import create_app
from core.config import Settings


def openapi_document() -> dict[str, object]:
    # default settings, no .env: the document must not depend on the machine it is made on
    settings = Settings(_env_file=None, COURSEGEN_DATA_DIR=tempfile.gettempdir())
    return create_app(settings).openapi()


if __name__ == "__main__":
    json.dump(openapi_document(), sys.stdout, indent=2, sort_keys=False)
    sys.stdout.write("\n")
