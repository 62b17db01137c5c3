#!/usr/bin/python3
"""Writes the PNG decoder's reference fixtures with an encoder independent of the C# code.

Only the standard library (zlib, struct, json, random) does the encoding: scanline filters, Adam7 interlacing,
bit packing, PLTE/tRNS and chunk CRCs are written out here from the PNG spec (https://www.w3.org/TR/png/).
For each fixture it also writes the samples the C# decoder must produce (see runtime/Imaging/README.md for the
expansion rules) and, when Pillow is installed, checks that Pillow decodes the file to the same thing.

Run from anywhere with Debian's Python:  /usr/bin/python3 tests/Runtime/Imaging/Fixtures/make_fixtures.py
Output: *.png, *.bin (expected samples; 8-bit as bytes, 16-bit as little-endian uint16) and fixtures.json.
"""
import json
import os
import random
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
SAMPLES = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def chunk(kind, data):
    body = kind.encode("ascii") + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def filter_row(kind, row, prev, bpp):
    out = bytearray()
    for i, x in enumerate(row):
        a = row[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        pred = [0, a, b, (a + b) // 2, paeth(a, b, c)][kind]
        out.append((x - pred) & 0xFF)
    return bytes([kind]) + bytes(out)


def pack_row(samples, depth):
    """Packs a list of samples (ints at `depth` bits) into scanline bytes, most significant bits first."""
    if depth == 16:
        return b"".join(struct.pack(">H", s) for s in samples)
    if depth == 8:
        return bytes(samples)
    out, acc, bits = bytearray(), 0, 0
    for s in samples:
        acc = (acc << depth) | s
        bits += depth
        if bits == 8:
            out.append(acc)
            acc, bits = 0, 0
    if bits:
        out.append(acc << (8 - bits))
    return bytes(out)


def encode(width, height, depth, colour, pixels, interlace, plte=None, trns=None, extra_chunks=(), idat_piece=None, filter_seed=0):
    """pixels[y][x] is a tuple of file samples (an index for palette images)."""
    n = SAMPLES[colour]
    bpp = max(1, n * depth // 8)
    passes = ADAM7 if interlace else [(0, 0, 1, 1)]
    raw = bytearray()
    for p, (x0, y0, dx, dy) in enumerate(passes):
        xs = list(range(x0, width, dx))
        ys = list(range(y0, height, dy))
        if not xs or not ys:
            continue
        prev = bytes(len(pack_row([0] * (len(xs) * n), depth)))
        for k, y in enumerate(ys):
            row = pack_row([s for x in xs for s in pixels[y][x]], depth)
            raw += filter_row((k + p + filter_seed) % 5, row, prev, bpp)
            prev = row
    data = zlib.compress(bytes(raw), 9)
    out = b"\x89PNG\r\n\x1a\n" + chunk("IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 1 if interlace else 0))
    for kind, payload in extra_chunks:
        out += chunk(kind, payload)
    if plte is not None:
        out += chunk("PLTE", bytes(v for rgb in plte for v in rgb))
    if trns is not None:
        out += chunk("tRNS", trns)
    piece = idat_piece or len(data)
    for i in range(0, len(data), piece):
        out += chunk("IDAT", data[i:i + piece])
    out += chunk("tEXt", b"Comment\x00after IDAT, before IEND")
    out += chunk("IEND", b"")
    return out


def expected_samples(depth, colour, pixels, plte, trns):
    """The decoder's documented output: (channels, out_depth, flat samples)."""
    maxv = (1 << depth) - 1
    flat = []
    if colour == 3:
        alpha = list(trns) if trns is not None else None
        channels = 4 if alpha is not None else 3
        for row in pixels:
            for (i,) in row:
                flat += list(plte[i])
                if alpha is not None:
                    flat.append(alpha[i] if i < len(alpha) else 255)
        return channels, 8, flat
    out_depth = 16 if depth == 16 else 8
    scale = 255 // maxv if depth < 8 else 1
    key = None
    if trns is not None:
        key = tuple(struct.unpack(">%dH" % (len(trns) // 2), trns))
    channels = SAMPLES[colour] + (1 if key is not None else 0)
    for row in pixels:
        for px in row:
            flat += [s * scale for s in px]
            if key is not None:
                flat.append(0 if tuple(px) == key else (65535 if out_depth == 16 else 255))
    return channels, out_depth, flat


def pillow_check(path, width, height, channels, out_depth, flat, odd_key):
    """Decodes with Pillow, an independent decoder, and compares as far as its modes allow."""
    try:
        from PIL import Image
    except ImportError:
        return "pillow missing"
    im = Image.open(path)
    im.load()
    assert im.size == (width, height), (path, im.size)
    if im.mode.startswith("I"):
        # 16-bit grey: Pillow keeps the samples exactly, and a tRNS key only as metadata (im.info["transparency"]).
        assert list(im.getdata()) == flat[0::channels], "Pillow disagrees on " + path
        return "Pillow agrees" if channels == 1 else "Pillow agrees on grey (it keeps 16-bit tRNS as metadata only)"
    note = "Pillow agrees"
    if out_depth == 16:
        # Pillow keeps only the high byte of 16-bit colour samples: compare that.
        flat = [v >> 8 for v in flat]
        note = "Pillow agrees on the high bytes (it reduces 16-bit colour to 8 bits)"
    if odd_key:
        # Pillow compares a sub-byte grey tRNS key with the sample scaled to 8 bits (not the raw sample, as
        # spec section 11.3.1.1 says) and a 16-bit RGB key with the reduced 8-bit colour: compare colour only.
        flat = [v for i, v in enumerate(flat) if i % channels != channels - 1]
        channels -= 1
        note += "; colour only (Pillow's tRNS key handling differs from the spec here)"
    mode = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}[channels]
    got = [v for px in im.convert(mode).getdata() for v in (px if isinstance(px, tuple) else (px,))]
    assert got == flat, "Pillow disagrees on " + path
    return note


def main():
    rng = random.Random(20240611)
    fixtures = []

    def add(name, width, height, depth, colour, interlace=False, plte_size=None, trns_kind=None, **kw):
        n = SAMPLES[colour]
        limit = (1 << depth) - 1
        plte = trns = None
        if colour == 3:
            plte = [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(plte_size)]
            pixels = [[(rng.randrange(plte_size),) for _ in range(width)] for _ in range(height)]
            if trns_kind == "palette":
                trns = bytes(rng.randrange(256) for _ in range(max(1, plte_size // 2)))
        else:
            # Mostly noise, with a repeated key colour so tRNS has pixels to hit.
            key = tuple(rng.randrange(limit + 1) for _ in range(n))
            pixels = [[key if rng.random() < 0.2 else tuple(rng.randrange(limit + 1) for _ in range(n)) for _ in range(width)] for _ in range(height)]
            if trns_kind == "key":
                trns = b"".join(struct.pack(">H", k) for k in key)
        data = encode(width, height, depth, colour, pixels, interlace, plte, trns, **kw)
        channels, out_depth, flat = expected_samples(depth, colour, pixels, plte, trns)
        png = name + ".png"
        with open(os.path.join(HERE, png), "wb") as f:
            f.write(data)
        expected = name + ".bin"
        with open(os.path.join(HERE, expected), "wb") as f:
            f.write(bytes(flat) if out_depth == 8 else struct.pack("<%dH" % len(flat), *flat))
        check = pillow_check(os.path.join(HERE, png), width, height, channels, out_depth, flat, colour != 3 and depth != 8 and trns is not None)
        fixtures.append({"file": png, "expected": expected, "width": width, "height": height,
                         "channels": channels, "bitDepth": out_depth, "pillow": check})
        print(f"{png:28s} {width}x{height} depth {depth} colour {colour} interlace {int(interlace)} -> {channels}ch {out_depth}-bit; {check}")

    for depth in (1, 2, 4, 8, 16):
        add(f"grey{depth}", 9, 7, depth, 0)
        add(f"grey{depth}_adam7", 9, 7, depth, 0, interlace=True)
    for depth in (8, 16):
        add(f"rgb{depth}", 9, 7, depth, 2)
        add(f"rgb{depth}_adam7", 9, 7, depth, 2, interlace=True)
        add(f"greyalpha{depth}", 9, 7, depth, 4)
        add(f"greyalpha{depth}_adam7", 9, 7, depth, 4, interlace=True)
        add(f"rgba{depth}", 9, 7, depth, 6)
        add(f"rgba{depth}_adam7", 9, 7, depth, 6, interlace=True)
        add(f"grey{depth}_trns", 5, 4, depth, 0, trns_kind="key")
        add(f"rgb{depth}_trns", 5, 4, depth, 2, trns_kind="key")
    add("grey2_trns", 5, 4, 2, 0, trns_kind="key")
    for depth in (1, 2, 4, 8):
        add(f"palette{depth}", 9, 7, depth, 3, plte_size=min(1 << depth, 13))
        add(f"palette{depth}_adam7", 9, 7, depth, 3, interlace=True, plte_size=min(1 << depth, 13))
        add(f"palette{depth}_trns", 5, 4, depth, 3, plte_size=min(1 << depth, 13), trns_kind="palette")
    add("tiny1x1_rgba8_adam7", 1, 1, 8, 6, interlace=True)
    add("tiny3x2_grey1_adam7", 3, 2, 1, 0, interlace=True)
    # Many small IDAT chunks, ancillary chunks before the image data, and every filter type on the first row.
    add("split_idat_rgb8", 9, 7, 8, 2, idat_piece=7, filter_seed=3,
        extra_chunks=[("gAMA", struct.pack(">I", 45455)), ("pHYs", struct.pack(">IIB", 2835, 2835, 1)), ("zzZz", b"private")])
    with open(os.path.join(HERE, "fixtures.json"), "w") as f:
        json.dump(fixtures, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
