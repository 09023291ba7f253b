"""Checks that every file under the given paths is complete: what kill9.sh asserts after each SIGKILL.

    python3 tools/hostile/check_outputs.py OUTPUT_DIR_OR_FILE ...

A file counts as complete when its format's own structure says so, checked by walking it (no project code):
JSON parses; every JSON Lines line parses; an ONNX model's top-level protobuf fields run exactly to the end of the
file, include a graph and peopleseg's metadata; an MP4's boxes run exactly to the end and include moov; a zip
(training checkpoint) passes zipfile's CRC test; HTML ends with </html>; PNG ends with IEND, JPEG with EOI; text
ends with a newline. The only other names allowed are the documented temporary ones (.NAME.HEX.tmp from AtomicFiles,
.NAME.part from the video writer), reported as leftovers. Exit 1 when any file is incomplete.

train.jsonl is the one append-only log: its last line may be cut by a kill (resume drops it), earlier ones may not.
"""

import json
import os
import re
import struct
import sys
import zipfile

TEMP = re.compile(r"^\..+\.([0-9a-f]+\.tmp|part)$")


def varint(b, i):
    shift = value = 0
    while True:
        if i >= len(b):
            raise ValueError("varint runs past the end")
        c = b[i]
        i += 1
        value |= (c & 0x7F) << shift
        if c < 0x80:
            return value, i
        shift += 7


def check_onnx(path):
    b = open(path, "rb").read()
    i, fields, metadata = 0, set(), []
    while i < len(b):
        tag, i = varint(b, i)
        field, wire = tag >> 3, tag & 7
        fields.add(field)
        if wire == 0:
            _, i = varint(b, i)
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        elif wire == 2:
            n, i = varint(b, i)
            if field == 14:
                metadata.append(b[i:i + n])
            i += n
        else:
            raise ValueError("wire type %d" % wire)
        if i > len(b):
            raise ValueError("field %d runs past the end (truncated)" % field)
    if 7 not in fields:
        raise ValueError("no graph")
    if not any(b"peopleseg" in m for m in metadata):
        raise ValueError("no peopleseg metadata")


def check_mp4(path):
    b = open(path, "rb").read()
    i, types = 0, []
    while i < len(b):
        if i + 8 > len(b):
            raise ValueError("box header cut")
        size, kind = struct.unpack(">I4s", b[i:i + 8])
        if size == 1:
            size = struct.unpack(">Q", b[i + 8:i + 16])[0]
        elif size == 0:
            size = len(b) - i
        if size < 8 or i + size > len(b):
            raise ValueError("box %r runs past the end (truncated)" % kind)
        types.append(kind)
        i += size
    if b"moov" not in types or b"ftyp" not in types:
        raise ValueError("boxes %r: no ftyp/moov" % types)


def check_jsonl(path, last_may_be_cut):
    lines = open(path, "rb").read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    elif lines and not last_may_be_cut:
        raise ValueError("does not end with a newline")
    for n, line in enumerate(lines):
        try:
            json.loads(line)
        except ValueError:
            if not (last_may_be_cut and n == len(lines) - 1):
                raise ValueError("line %d is not JSON" % (n + 1))


def check(path):
    name = os.path.basename(path)
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext == "json":
        json.load(open(path, "rb"))
    elif ext == "jsonl":
        check_jsonl(path, name == "train.jsonl")
    elif ext == "onnx":
        check_onnx(path)
    elif ext == "mp4":
        check_mp4(path)
    elif ext in ("ckpt", "zip"):
        with zipfile.ZipFile(path) as z:
            bad = z.testzip()
            if bad:
                raise ValueError("bad CRC in " + bad)
    elif ext == "html":
        if not open(path, "rb").read().rstrip().endswith(b"</html>"):
            raise ValueError("does not end with </html>")
    elif ext == "png":
        if not open(path, "rb").read().endswith(b"IEND\xaeB`\x82"):
            raise ValueError("no IEND at the end")
    elif ext in ("jpg", "jpeg"):
        if not open(path, "rb").read().endswith(b"\xff\xd9"):
            raise ValueError("no EOI at the end")
    elif ext in ("txt", "csv", "yml", "yaml"):
        data = open(path, "rb").read()
        if data and not data.endswith(b"\n"):
            raise ValueError("does not end with a newline")
    else:
        return "unchecked"
    return "ok"


def main(paths):
    bad, temps, counts = [], [], {}
    for root in paths:
        files = [root] if os.path.isfile(root) else [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs]
        for f in sorted(files):
            if TEMP.match(os.path.basename(f)):
                temps.append(f)
                continue
            try:
                result = check(f)
            except Exception as e:  # any failure to read the format is an incomplete file
                bad.append("%s: %s" % (f, e))
                continue
            counts[result] = counts.get(result, 0) + 1
    for t in temps:
        print("  leftover temp: " + t)
    for b in bad:
        print("  INCOMPLETE: " + b)
    print("  %d complete, %d unchecked kinds, %d temp leftovers, %d incomplete"
          % (counts.get("ok", 0), counts.get("unchecked", 0), len(temps), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
