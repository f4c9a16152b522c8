//! Criterion benchmarks of the text engine's hot paths on the seed article (or, when
//! `../shared/corpus/` is absent, on the project's own tricky lines): level
//! resolution, shaping, the whole width-independent preparation, and wrapping with
//! reordering at 80 columns.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use qari::layout::bidi::{BaseDirection, ParagraphLevels};
use qari::layout::{LayoutOptions, paragraph_ranges, prepare, shape};
use std::hint::black_box;

fn corpus() -> String {
    let seed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/seed-article.txt"
    );
    std::fs::read_to_string(seed)
        .unwrap_or_else(|_| include_str!("../tests/fixtures/tricky-lines.txt").to_owned())
}

fn bench(c: &mut Criterion) {
    let text = corpus();
    let paragraphs: Vec<&str> = paragraph_ranges(&text)
        .into_iter()
        .map(|r| &text[r])
        .collect();
    let chars: Vec<Vec<char>> = paragraphs.iter().map(|p| p.chars().collect()).collect();
    let options = LayoutOptions::default();
    let mut group = c.benchmark_group("layout");
    group.throughput(Throughput::Bytes(text.len() as u64));

    group.bench_function("resolve_levels", |b| {
        b.iter(|| {
            for (p, cs) in paragraphs.iter().zip(&chars) {
                black_box(ParagraphLevels::resolve(p, cs, BaseDirection::Auto));
            }
        })
    });
    let levels: Vec<ParagraphLevels> = paragraphs
        .iter()
        .zip(&chars)
        .map(|(p, cs)| ParagraphLevels::resolve(p, cs, BaseDirection::Auto))
        .collect();
    group.bench_function("shape", |b| {
        b.iter(|| {
            for (cs, l) in chars.iter().zip(&levels) {
                black_box(shape::shape(cs, &l.levels));
            }
        })
    });
    group.bench_function("line_break_opportunities", |b| {
        b.iter(|| {
            for p in &paragraphs {
                black_box(unicode_linebreak::linebreaks(p).count());
            }
        })
    });
    group.bench_function("prepare", |b| {
        b.iter(|| {
            for p in &paragraphs {
                black_box(prepare(p, &options));
            }
        })
    });
    let prepared: Vec<_> = paragraphs.iter().map(|p| prepare(p, &options)).collect();
    group.bench_function("wrap_and_reorder_80", |b| {
        b.iter(|| {
            for p in &prepared {
                black_box(p.lines(80));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
