"""USB bundle sealing: size and time of writing and reading a bundle of N complaint operations
(and some attachments), plain (format 1, the programs before sealing) beside sealed (format 2).

    .venv/bin/python bench/bench_bundle_seal.py --complaints 10000 --attachments 20

The operations are complaint inserts as the office queues them (about 1 KB of JSON each, with
name, phone and address); attachments are random bytes (like JPEGs: they do not deflate).
Prints the file sizes and the median of 3 runs of `bundle.write` and `bundle.read`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import time
import uuid

from desktop.sync import bundle
from desktop.sync.protocol import PROTOCOL_VERSION


def _ops(n: int) -> list[dict[str, object]]:
    return [{"op_id": str(uuid.uuid4()), "entity": "complaints", "uuid": str(uuid.uuid4()),
             "base_version": 0, "deleted": False, "protocol": PROTOCOL_VERSION,
             "after": {"number": f"WZCQ01-20261119-{i:04d}", "complainant_name": "张伟",
                       "complainant_phone": f"138{i:08d}",
                       "complainant_address": "苏州市吴中区长桥街道宝带西路 100 号",
                       "respondent_name": "苏州东吴汽车销售服务有限公司",
                       "subject": "家用轿车", "category_code": "vehicle", "amount": "158000.00",
                       "request": "要求更换新车",
                       "facts": "新车购买三天后发动机故障灯亮起，4S 店维修两次仍未解决。" * 3}}
            for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=10_000)
    parser.add_argument("--attachments", type=int, default=20)
    parser.add_argument("--attachment-kb", type=int, default=500)
    args = parser.parse_args()
    key = os.urandom(32).hex()
    blobs = {}
    for _ in range(args.attachments):
        body = os.urandom(args.attachment_kb * 1024)
        blobs[hashlib.sha256(body).hexdigest()] = body
    content = {"ops": _ops(args.complaints), "cursor": None, "backlog": args.complaints}
    print(f"{args.complaints} operations, {args.attachments} attachments of "
          f"{args.attachment_kb} KB")
    for label, version in (("plain (format 1)", bundle.PLAIN_VERSION),
                           ("sealed (format 2)", bundle.FORMAT_VERSION)):
        sync_file = bundle.SyncFile(kind=bundle.BUNDLE, bundle_id="b", device_id="d",
                                    office="WZCQ01", hub_id="h", content=content, blobs=blobs,
                                    format_version=version)
        writes, reads = [], []
        for _ in range(3):
            started = time.perf_counter()
            data = bundle.write(sync_file, key)
            writes.append(time.perf_counter() - started)
            started = time.perf_counter()
            bundle.read(data, key, expect=bundle.BUNDLE)
            reads.append(time.perf_counter() - started)
        print(f"  {label:18} {len(data) / 1024 / 1024:8.1f} MB  write "
              f"{statistics.median(writes):6.2f} s  read {statistics.median(reads):6.2f} s")


if __name__ == "__main__":
    main()
