/* proofcheck.js - checks the proofs a worker's statement ends with, in the
 * browser alone (no server, no network): the checkpoint's Ed25519 signature
 * (tweetnacl, Debian's node-tweetnacl, loaded before this file as window.nacl),
 * each journal entry's hash (BLAKE2b-256 over its typed, length-prefixed
 * columns, as src/core/crypto.c fs_hash_values), its leaf and its RFC 9162
 * inclusion path to the checkpoint's root (SHA-256). The same rules as
 * `fairshare proof verify` (src/core/proof.c, checkpoint.c, merkle.c), written
 * in plain JavaScript so that it also runs from a saved copy of the page
 * (file://) and over plain http, where crypto.subtle is not offered.
 * A classic script: it defines globalThis.fsProof. */
(function (root) {
  "use strict";
  const enc = new TextEncoder();

  function hex(b) { let s = ""; for (const x of b) s += (x < 16 ? "0" : "") + x.toString(16); return s; }
  /* exactly 2n hex digits, else null (sodium_hex2bin as fs_unhex uses it) */
  function unhex(s, n) {
    if (typeof s !== "string" || s.length !== 2 * n || !/^[0-9a-fA-F]*$/.test(s)) return null;
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = parseInt(s.substr(2 * i, 2), 16);
    return out;
  }
  function concat(parts) {
    let n = 0; for (const p of parts) n += p.length;
    const out = new Uint8Array(n); let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    return out;
  }
  function equal(a, b) { if (a.length !== b.length) return false; let d = 0; for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i]; return d === 0; }

  /* SHA-256 (FIPS 180-4) */
  const K = new Uint32Array([0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb,
    0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f,
    0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);
  function sha256(msg) {
    const len = msg.length, padded = new Uint8Array(((len + 9 + 63) >> 6) << 6);
    padded.set(msg); padded[len] = 0x80;
    const bits = len * 8, dv = new DataView(padded.buffer);
    dv.setUint32(padded.length - 8, Math.floor(bits / 0x100000000)); dv.setUint32(padded.length - 4, bits >>> 0);
    const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
    const w = new Uint32Array(64);
    const rotr = (x, n) => (x >>> n) | (x << (32 - n));
    for (let off = 0; off < padded.length; off += 64) {
      for (let i = 0; i < 16; i++) w[i] = dv.getUint32(off + 4 * i);
      for (let i = 16; i < 64; i++) {
        const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
        const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
      }
      let [a, b, c, d, e, f, g, hh] = h;
      for (let i = 0; i < 64; i++) {
        const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) >>> 0;
        const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
        hh = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
      }
      h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
    }
    const out = new Uint8Array(32), ov = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) ov.setUint32(4 * i, h[i]);
    return out;
  }

  /* BLAKE2b (RFC 7693) with a digest of outlen bytes, no key; 64-bit words as BigInt */
  const M64 = (1n << 64n) - 1n;
  const IV = [0x6a09e667f3bcc908n, 0xbb67ae8584caa73bn, 0x3c6ef372fe94f82bn, 0xa54ff53a5f1d36f1n,
    0x510e527fade682d1n, 0x9b05688c2b3e6c1fn, 0x1f83d9abfb41bd6bn, 0x5be0cd19137e2179n];
  const SIGMA = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4], [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13], [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11], [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5], [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0]];
  const rotr64 = (x, n) => ((x >> n) | (x << (64n - n))) & M64;
  function compress(h, block, t, last) {
    const v = h.concat(IV), m = [];
    const dv = new DataView(block.buffer, block.byteOffset, 128);
    for (let i = 0; i < 16; i++) m.push(dv.getBigUint64(8 * i, true));
    v[12] ^= BigInt(t) & M64;
    v[13] ^= BigInt(t) >> 64n;
    if (last) v[14] ^= M64;
    const G = (a, b, c, d, x, y) => {
      v[a] = (v[a] + v[b] + x) & M64; v[d] = rotr64(v[d] ^ v[a], 32n);
      v[c] = (v[c] + v[d]) & M64; v[b] = rotr64(v[b] ^ v[c], 24n);
      v[a] = (v[a] + v[b] + y) & M64; v[d] = rotr64(v[d] ^ v[a], 16n);
      v[c] = (v[c] + v[d]) & M64; v[b] = rotr64(v[b] ^ v[c], 63n);
    };
    for (let r = 0; r < 12; r++) {
      const s = SIGMA[r % 10];
      G(0, 4, 8, 12, m[s[0]], m[s[1]]); G(1, 5, 9, 13, m[s[2]], m[s[3]]);
      G(2, 6, 10, 14, m[s[4]], m[s[5]]); G(3, 7, 11, 15, m[s[6]], m[s[7]]);
      G(0, 5, 10, 15, m[s[8]], m[s[9]]); G(1, 6, 11, 12, m[s[10]], m[s[11]]);
      G(2, 7, 8, 13, m[s[12]], m[s[13]]); G(3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
    for (let i = 0; i < 8; i++) h[i] ^= v[i] ^ v[i + 8];
  }
  function blake2b(msg, outlen) {
    const h = IV.slice();
    h[0] ^= 0x01010000n ^ BigInt(outlen);
    const n = msg.length, blocks = Math.max(1, Math.ceil(n / 128));
    for (let i = 0; i < blocks; i++) {
      const last = i === blocks - 1, block = new Uint8Array(128);
      block.set(msg.subarray(128 * i, Math.min(n, 128 * (i + 1))));
      compress(h, block, last ? n : 128 * (i + 1), last);
    }
    const out = new Uint8Array(64), dv = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) dv.setBigUint64(8 * i, h[i], true);
    return out.slice(0, outlen);
  }

  /* the journal entry's hash (src/core/crypto.c fs_hash_values("journal", ...)):
   * the prefix with its NUL, then per column a type byte (0 null, 1 integer, 2
   * text, 3 blob) and 8 bytes big-endian (the integer, or the length), then the bytes */
  function entryHash(j) {
    if (!j || typeof j !== "object" || Array.isArray(j)) return null;
    const parts = [enc.encode("journal\0")];
    const int = (x) => ({ t: 1, i: Number.isInteger(x) ? BigInt(x) : 0n });
    const text = (s) => ({ t: 2, b: enc.encode(s) });
    const vals = [int(j.seq)];
    for (const k of ["ts", "actor", "action", "entity"]) { if (typeof j[k] !== "string") return null; vals.push(text(j[k])); }
    vals.push(int(j.entity_id));
    for (const k of ["org_id", "person_id"]) vals.push(Number.isInteger(j[k]) ? int(j[k]) : { t: 0 });
    for (const k of ["before", "after"]) vals.push(typeof j[k] === "string" ? text(j[k]) : { t: 0 });
    if (typeof j.row_hash === "string") { const b = unhex(j.row_hash, 32); if (!b) return null; vals.push({ t: 3, b }); }
    else vals.push({ t: 0 });
    const ph = unhex(j.prev_hash, 32);
    if (!ph) return null;
    vals.push({ t: 3, b: ph });
    for (const v of vals) {
      const hdr = new Uint8Array(9), dv = new DataView(hdr.buffer);
      hdr[0] = v.t;
      dv.setBigUint64(1, v.t === 1 ? BigInt.asUintN(64, v.i) : v.t === 0 ? 0n : BigInt(v.b.length));
      parts.push(hdr);
      if (v.b) parts.push(v.b);
    }
    return blake2b(concat(parts), 32);
  }
  const leafHash = (h) => sha256(concat([new Uint8Array([0]), h]));
  const nodeHash = (l, r) => sha256(concat([new Uint8Array([1]), l, r]));

  /* RFC 9162 2.1.3.2, as src/core/merkle.c fs_merkle_verify_inclusion */
  function verifyInclusion(leaf, index, size, rootHash, path) {
    if (!(index < size)) return false;
    let fn = index, sn = size - 1, r = leaf;
    const odd = (x) => x % 2 === 1, half = (x) => Math.floor(x / 2);
    for (const p of path) {
      if (sn === 0) return false;
      if (odd(fn) || fn === sn) {
        r = nodeHash(p, r);
        if (!odd(fn)) while (!odd(fn) && fn !== 0) { fn = half(fn); sn = half(sn); }
      } else r = nodeHash(r, p);
      fn = half(fn); sn = half(sn);
    }
    return sn === 0 && equal(r, rootHash);
  }

  const CP_MAGIC = "fairshare checkpoint v1\n", PROOF_MAGIC = "fairshare proof v1\n";
  function fail(what, message) { const e = new Error(message); e.what = what; throw e; }

  /* the checkpoint in text (it may sit inside other text); its signature checked */
  function parseCheckpoint(text) {
    const start = text.indexOf(CP_MAGIC);
    if (start < 0) fail("checkpoint_missing", "no fairshare checkpoint found (it begins with the line 'fairshare checkpoint v1')");
    let p = start + CP_MAGIC.length;
    const field = (name) => {
      if (!text.startsWith(name + ": ", p)) return null;
      const eol = text.indexOf("\n", p);
      if (eol < 0) return null;
      const v = text.slice(p + name.length + 2, eol);
      p = eol + 1;
      return v;
    };
    const c = {};
    for (const k of ["org", "org-id", "size", "root", "time", "key"]) {
      const v = field(k);
      if (v === null) fail("checkpoint_malformed", `the checkpoint's line '${k}: ...' is missing or malformed`);
      c[k] = v;
    }
    const signedText = text.slice(start, p);
    const sig = field("signature");
    if (sig === null) fail("checkpoint_malformed", "the checkpoint has no line 'signature: ...'");
    if (!/^\d+$/.test(c["org-id"]) || !/^\d+$/.test(c.size)) fail("checkpoint_malformed", "the checkpoint's org-id or size is not a number");
    const rootHash = unhex(c.root, 32), key = unhex(c.key, 32), sigb = unhex(sig, 64);
    if (!rootHash || !key || !sigb) fail("checkpoint_malformed", "the checkpoint's root, key or signature is not hex of the right length");
    const nacl = root.nacl;
    if (!nacl || !nacl.sign) fail("no_ed25519", "the Ed25519 code (nacl-fast.min.js) is not loaded");
    if (!nacl.sign.detached.verify(enc.encode(signedText), sigb, key))
      fail("signature", "the checkpoint's signature does not match its text (altered, or not signed by its key)");
    return { org: c.org, orgId: Number(c["org-id"]), size: Number(c.size), root: rootHash, rootHex: c.root.toLowerCase(),
      time: c.time, key: c.key.toLowerCase(), text: signedText + "signature: " + sig + "\n" };
  }

  /* a statement's --json (its "proofs"), its text, or the text of its printed page */
  function extract(input) {
    const s = String(input).replace(/\r\n?/g, "\n");
    const trimmed = s.trim();
    if (trimmed.startsWith("{")) {
      try { const j = JSON.parse(trimmed); if (j && typeof j.proofs === "string") return j.proofs; } catch (e) { /* text */ }
    }
    return s;
  }

  /* the whole check: { ok, checkpoint, items: [{ ok, entity, entity_id, seq, after, bound, reason }], error } */
  function verify(input) {
    const text = extract(input);
    let cp;
    try { cp = parseCheckpoint(text); }
    catch (e) { return { ok: false, error: { what: e.what || "checkpoint", message: e.message }, items: [] }; }
    let p = text.indexOf(PROOF_MAGIC);
    if (p < 0) return { ok: false, checkpoint: cp, items: [],
      error: { what: "proofs_missing", message: "no proofs found (they begin with the line 'fairshare proof v1')" } };
    p += PROOF_MAGIC.length;
    const items = [];
    let bound = null;
    const end = text.length;
    while (p < end && end - p > 7 && (text.startsWith("entry: ", p) || text.startsWith("bound: ", p))) {
      if (text.startsWith("bound: ", p)) {
        const e = text.indexOf("\n", p);
        const m = /^bound: (\S+) (\d+) row_hash ([0-9a-f]{64})$/.exec(text.slice(p, e < 0 ? end : e));
        bound = m ? { entity: m[1], id: Number(m[2]), row_hash: m[3] } : null;
        p = e < 0 ? end : e + 1;
        continue;
      }
      const eol = text.indexOf("\n", p);
      const l2 = eol < 0 ? end : eol + 1, eol2 = eol < 0 ? -1 : text.indexOf("\n", l2);
      const l3 = eol2 < 0 ? end : eol2 + 1, eol3 = eol2 < 0 ? -1 : text.indexOf("\n", l3);
      if (eol3 < 0 || !text.startsWith("index: ", l2) || !text.startsWith("path:", l3))
        return { ok: false, checkpoint: cp, items,
          error: { what: "incomplete", message: `proof ${items.length + 1} is incomplete (entry, index and path lines)` } };
      let j = null;
      try { j = JSON.parse(text.slice(p + 7, eol)); } catch (e) { j = null; }
      if (j !== null && typeof j !== "object") j = null; /* jansson reads an object or an array */
      const im = /^\s*([+-]?\d+)/.exec(text.slice(l2 + 7, eol2));
      const index = im ? Number(im[1]) : 0;
      const path = [];
      let ok = j !== null && index >= 0, reason = j === null ? "entry_unreadable" : index < 0 ? "index" : "";
      const pl = text.slice(l3 + 5, eol3);
      for (let q = 0; ok && q < pl.length;) {
        while (q < pl.length && pl[q] === " ") q++;
        if (q >= pl.length) break;
        const b = pl.length - q >= 64 && path.length < 64 ? unhex(pl.substr(q, 64), 32) : null;
        if (!b) { ok = false; reason = "path_malformed"; break; }
        path.push(b);
        q += 64;
      }
      let h = null;
      if (ok) { h = entryHash(j); if (!h) { ok = false; reason = "entry_malformed"; } }
      if (ok && !verifyInclusion(leafHash(h), index, cp.size, cp.root, path)) { ok = false; reason = "inclusion"; }
      let after = null;
      if (j && typeof j.after === "string") { try { after = JSON.parse(j.after); } catch (e) { after = null; } }
      items.push({ ok, reason, entity: j && typeof j.entity === "string" ? j.entity : null,
        entity_id: j && Number.isInteger(j.entity_id) ? j.entity_id : 0, seq: j && Number.isInteger(j.seq) ? j.seq : 0,
        index, after, bound, entry: j });
      bound = null;
      p = eol3 + 1;
    }
    const bad = items.filter((x) => !x.ok).length;
    /* as the CLI: a block without items (a statement with no claim or payment) holds, its checkpoint signed */
    return { ok: bad === 0, checkpoint: cp, items, bad,
      error: bad ? { what: "proofs", message: `${bad} of ${items.length} proofs do not hold against the checkpoint` } : null };
  }

  root.fsProof = { verify, parseCheckpoint, entryHash, sha256, blake2b, leafHash, verifyInclusion, hex, unhex, extract };
})(typeof globalThis !== "undefined" ? globalThis : self);
