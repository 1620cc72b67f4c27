"""The plans of `PlainRedisSaver` (infra/checkpoint_redis.py): every checkpoint operation as a
generator of pipelined Redis command batches, written once for the sync and the async driver.
Key layout and storage model: see that module's docstring."""

from __future__ import annotations

import hashlib
from collections.abc import Generator, Sequence
from typing import Any, cast

import ormsgpack
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    WRITES_IDX_MAP,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
    SerializerProtocol,
    get_checkpoint_id,
    get_checkpoint_metadata,
    writes_sort_key,
)

Cmd = tuple[str, tuple[Any, ...]]  # (client method name, positional args)
Plan = Generator[tuple[bool, list[Cmd]], list[Any], Any]  # yields (transactional, commands)

# Refresh the TTL of every key a thread owns, atomically with the write that touched it.
_REFRESH_TTL = """
local ttl = tonumber(ARGV[1])
for _, k in ipairs(redis.call('SMEMBERS', KEYS[1])) do redis.call('EXPIRE', k, ttl) end
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[2], ttl)
return 1
"""


_LATEST = """
local ids = redis.call('ZREVRANGEBYLEX', KEYS[1], '+', '-', 'LIMIT', 0, 1)
if #ids == 0 then return {false, false} end
return {ids[1], redis.call('HGET', KEYS[2], ids[1])}
"""


def _sep(a: str | bytes, b: str | bytes) -> bytes:
    a = a.encode() if isinstance(a, str) else a
    b = b.encode() if isinstance(b, str) else b
    return a + b"\x00" + b


def _typed(raw: bytes) -> tuple[str, bytes]:
    type_, _, data = raw.partition(b"\x00")
    return type_.decode(), data


class RedisCheckpointPlans:
    """Key naming and plans; the saver supplies the attributes below and drives the plans."""

    prefix: str
    ttl_seconds: int | None
    serde: SerializerProtocol

    # --- keys -------------------------------------------------------------------------------
    def _t(self, thread_id: str) -> str:
        return f"{self.prefix}:{{{thread_id}}}"

    def _n(self, thread_id: str, ns: str) -> str:
        # namespaces carry ':' and '|'; a fixed-width digest keeps key parsing unambiguous
        return f"{self._t(thread_id)}:{hashlib.blake2b(ns.encode(), digest_size=8).hexdigest()}"

    # --- plans ------------------------------------------------------------------------------
    def _touch(self, thread_id: str, ns: str, keys: list[str]) -> list[Cmd]:
        t = self._t(thread_id)
        cmds: list[Cmd] = [("sadd", (f"{t}:ns", ns)), ("sadd", (f"{t}:keys", *keys))]
        if self.ttl_seconds:
            cmds.append(("eval", (_REFRESH_TTL, 2, f"{t}:keys", f"{t}:ns", self.ttl_seconds)))
        return cmds

    def _put_plan(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> Plan:
        conf = config["configurable"]
        thread_id, ns = conf["thread_id"], conf.get("checkpoint_ns", "")
        n = self._n(thread_id, ns)
        c = checkpoint.copy()
        values: dict[str, Any] = c.pop("channel_values")  # type: ignore[misc]
        blobs = {
            _sep(k, str(v)): _sep(*self.serde.dumps_typed(values[k]))
            if k in values
            else _sep("empty", b"")
            for k, v in new_versions.items()
        }
        record = ormsgpack.packb(
            [
                conf.get("checkpoint_id"),  # the parent
                *self.serde.dumps_typed(c),
                *self.serde.dumps_typed(get_checkpoint_metadata(config, metadata)),
            ]
        )
        cmds: list[Cmd] = [("hset", (f"{n}:blobs", None, None, blobs))] if blobs else []
        cmds += [
            ("hset", (f"{n}:cps", checkpoint["id"], record)),
            ("zadd", (f"{n}:idx", {checkpoint["id"]: 0})),
            *self._touch(thread_id, ns, [f"{n}:cps", f"{n}:idx", f"{n}:blobs"]),
        ]
        yield True, cmds
        return {
            "configurable": {
                "thread_id": thread_id,
                "checkpoint_ns": ns,
                "checkpoint_id": checkpoint["id"],
            }
        }

    def _put_writes_plan(
        self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str, path: str
    ) -> Plan:
        conf = config["configurable"]
        thread_id, ns = conf["thread_id"], conf.get("checkpoint_ns", "")
        wkey = f"{self._n(thread_id, ns)}:w:{conf['checkpoint_id']}"
        cmds: list[Cmd] = []
        for idx, (channel, value) in enumerate(writes):
            widx = WRITES_IDX_MAP.get(channel, idx)
            field = _sep(task_id, str(widx))
            packed = ormsgpack.packb([path, channel, *self.serde.dumps_typed(value)])
            # regular writes are first-wins (a retried task must not change history);
            # special writes (error, interrupt, resume...) are last-wins, as in InMemorySaver
            cmds.append(("hsetnx" if widx >= 0 else "hset", (wkey, field, packed)))
        if cmds:
            yield True, cmds + self._touch(thread_id, ns, [wkey])

    def _load_plan(
        self, thread_id: str, ns: str, ids: list[str], records: list[Any] | None = None
    ) -> Plan:
        """Fetch records, blobs and writes for `ids` (newest first) -> list[CheckpointTuple]."""
        if not ids:
            return []
        n = self._n(thread_id, ns)
        if records is None:
            (records,) = yield False, [("hmget", (f"{n}:cps", ids))]
        found = [
            (cid, ormsgpack.unpackb(raw)) for cid, raw in zip(ids, records, strict=True) if raw
        ]
        cmds: list[Cmd] = []
        loaded = []
        for cid, (parent, ctype, cbytes, mtype, mbytes) in found:
            cp = self.serde.loads_typed((ctype, cbytes))
            fields = [_sep(k, str(v)) for k, v in cp["channel_versions"].items()]
            loaded.append((cid, parent, cp, self.serde.loads_typed((mtype, mbytes)), fields))
            if fields:
                cmds.append(("hmget", (f"{n}:blobs", fields)))
            cmds.append(("hgetall", (f"{n}:w:{cid}",)))
        replies = iter((yield False, cmds) if cmds else [])
        out = []
        for cid, parent, cp, metadata, fields in loaded:
            values: dict[str, Any] = {}
            if fields:
                for field, raw in zip(fields, next(replies), strict=True):
                    if raw is not None and not raw.startswith(b"empty\x00"):
                        values[field.partition(b"\x00")[0].decode()] = self.serde.loads_typed(
                            _typed(raw)
                        )
            out.append(
                CheckpointTuple(
                    config=self._cfg(thread_id, ns, cid),
                    checkpoint=cast(Checkpoint, {**cp, "channel_values": values}),
                    metadata=metadata,
                    parent_config=self._cfg(thread_id, ns, parent) if parent else None,
                    pending_writes=self._decode_writes(next(replies)),
                )
            )
        return out

    def _decode_writes(self, stored: dict[bytes, bytes]) -> list[tuple[str, str, Any]]:
        rows = []
        for field, raw in stored.items():
            task_id, _, idx = field.partition(b"\x00")
            path, channel, vtype, vbytes = ormsgpack.unpackb(raw)
            rows.append((writes_sort_key(path, task_id.decode(), int(idx)), channel, vtype, vbytes))
        rows.sort(key=lambda r: r[0])
        return [(k[1], ch, self.serde.loads_typed((t, b))) for k, ch, t, b in rows]

    @staticmethod
    def _cfg(thread_id: str, ns: str, checkpoint_id: str) -> RunnableConfig:
        return {
            "configurable": {
                "thread_id": thread_id,
                "checkpoint_ns": ns,
                "checkpoint_id": checkpoint_id,
            }
        }

    def _get_plan(self, config: RunnableConfig) -> Plan:
        conf = config["configurable"]
        thread_id, ns = conf["thread_id"], conf.get("checkpoint_ns", "")
        n = self._n(thread_id, ns)
        if cid := get_checkpoint_id(config):
            tuples = yield from self._load_plan(thread_id, ns, [cid])
        else:  # id of the latest and its record in one round trip
            ((latest, record),) = yield False, [("eval", (_LATEST, 2, f"{n}:idx", f"{n}:cps"))]
            if not latest:
                return None
            tuples = yield from self._load_plan(thread_id, ns, [latest.decode()], [record])
        if not tuples:
            return None
        if get_checkpoint_id(config):
            return tuples[0]._replace(config=config)  # echo the caller's config, as savers do
        return tuples[0]

    def _list_plan(
        self,
        config: RunnableConfig | None,
        filter: dict[str, Any] | None,
        before: RunnableConfig | None,
        limit: int | None,
    ) -> Plan:
        if config is not None:
            threads = [config["configurable"]["thread_id"]]
        else:  # every thread: rare (admin tooling), so a cursor SCAN is acceptable
            pattern, head, tail = f"{self.prefix}:{{*}}:ns", len(self.prefix) + 2, -len("}:ns")
            found: set[str] = set()
            cursor = -1
            while cursor != 0:
                ((cursor, keys),) = yield False, [("scan", (max(cursor, 0), pattern, 1000))]
                found.update(k.decode()[head:tail] for k in keys)
            threads = sorted(found)
        want_ns = config["configurable"].get("checkpoint_ns") if config else None
        want_id = get_checkpoint_id(config) if config else None
        upper = f"({get_checkpoint_id(before)}" if before and get_checkpoint_id(before) else "+"
        nss = yield False, [("smembers", (f"{self._t(t)}:ns",)) for t in threads]
        scopes = [
            (t, ns.decode())
            for t, members in zip(threads, nss, strict=True)
            for ns in sorted(members)
            if want_ns is None or ns.decode() == want_ns
        ]
        # with no metadata filter the limit can be pushed down into the range query
        page = (0, limit) if limit is not None and not filter else ()
        ranges = yield (
            False,
            [("zrevrangebylex", (f"{self._n(t, ns)}:idx", upper, "-", *page)) for t, ns in scopes],
        )
        # newest first across namespaces and threads, as SqliteSaver orders by checkpoint_id
        candidates = sorted(
            (
                (cid.decode(), t, ns)
                for (t, ns), ids in zip(scopes, ranges, strict=True)
                for cid in ids
            ),
            reverse=True,
        )
        if want_id:
            candidates = [c for c in candidates if c[0] == want_id]
        out: list[CheckpointTuple] = []
        for start in range(0, len(candidates), 32):
            batch = candidates[start : start + 32]
            by_scope: dict[tuple[str, str], list[str]] = {}
            for cid, t, ns in batch:
                by_scope.setdefault((t, ns), []).append(cid)
            loaded: dict[tuple[str, str, str], CheckpointTuple] = {}
            for (t, ns), ids in by_scope.items():
                for tup in (yield from self._load_plan(t, ns, ids)):
                    loaded[(tup.config["configurable"]["checkpoint_id"], t, ns)] = tup
            for key in batch:
                if (tup := loaded.get(key)) is None:  # expired between the two reads
                    continue
                if filter and not all(tup.metadata.get(k) == v for k, v in filter.items()):
                    continue
                out.append(tup)
                if limit is not None and len(out) >= limit:
                    return out
        return out

    def _delete_plan(self, thread_id: str) -> Plan:
        t = self._t(thread_id)
        keys = yield False, [("smembers", (f"{t}:keys",))]
        yield True, [("delete", (f"{t}:keys", f"{t}:ns", *keys[0]))]
