//! A small mutator for the fuzz test and the fuzz example (`tests/fuzz_seeds.rs`,
//! `examples/fuzz.rs`): seeded, so a failure can be replayed, and aware of the numbers
//! that break readers of lengths and offsets (0, 2^32 - 1, near 2^64, both byte orders).

/// xorshift64*: a deterministic source of random numbers.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const INTERESTING: &[u64] = &[
    0,
    1,
    0x7f,
    0xff,
    0xffff,
    0x7fff_ffff,
    0xffff_ffff,
    0x1_0000_0000,
    u64::MAX,
    u64::MAX - 1,
    u64::MAX / 2,
];

/// `input` changed by one to four random edits, some taking bytes from `other`.
pub fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = out.len();
        match rng.below(9) {
            0 if len > 0 => {
                let at = rng.below(len);
                out[at] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let at = rng.below(len);
                out[at] = rng.next() as u8;
            }
            2 => {
                let at = rng.below(len + 1);
                out.insert(at, rng.next() as u8);
            }
            3 if len > 0 => {
                let at = rng.below(len);
                let n = 1 + rng.below((len - at).min(64));
                out.drain(at..at + n);
            }
            4 if len > 0 => {
                let at = rng.below(len);
                let n = 1 + rng.below((len - at).min(64));
                let piece = out[at..at + n].to_vec();
                let to = rng.below(len + 1);
                out.splice(to..to, piece);
            }
            5 if len > 0 => {
                let value = INTERESTING[rng.below(INTERESTING.len())];
                let width = [1, 2, 4, 8][rng.below(4)];
                let bytes = if rng.below(2) == 0 {
                    value.to_le_bytes()
                } else {
                    value.to_be_bytes()
                };
                let bytes = if bytes[0] == 0 && width < 8 {
                    &bytes[8 - width..]
                } else {
                    &bytes[..width]
                };
                let at = rng.below(len);
                for (i, b) in bytes.iter().enumerate() {
                    if let Some(slot) = out.get_mut(at + i) {
                        *slot = *b;
                    }
                }
            }
            6 if !other.is_empty() => {
                let from = rng.below(other.len());
                let n = 1 + rng.below((other.len() - from).min(256));
                let at = rng.below(len + 1);
                out.splice(at..at, other[from..from + n].iter().copied());
            }
            7 if len > 0 => {
                out.truncate(rng.below(len));
            }
            _ => {
                // A run of one byte, as decompression bombs and long lines are made of.
                let at = rng.below(len + 1);
                let n = 1 + rng.below(512);
                let b = [0u8, b'\t', b'\n', b'A', 0xff][rng.below(5)];
                out.splice(at..at, std::iter::repeat_n(b, n));
            }
        }
    }
    out
}

/// The seed inputs of a target: every file in `fuzz/corpus/<name>/`, sorted by name.
pub fn seeds(corpus: &std::path::Path, name: &str) -> Vec<Vec<u8>> {
    let dir = corpus.join(name);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .collect()
}
