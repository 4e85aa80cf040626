//! `cargo bench`: the pipeline's stages and the render cost of one page of each kind, on a
//! corpus from `../shared/bench/gen_corpus.py` (1,000 articles unless `BROADSHEET_BENCH_ARTICLES`
//! says otherwise). `bench/run.sh` measures whole builds at 1k, 10k and 100k articles.

use std::path::{Path, PathBuf};
use std::process::Command;

use broadsheet::related::Engine;
use broadsheet::render::{GroupKind, Page, RelatedLists, RenderInput, Renderer, SiteConstants, Theme};
use broadsheet::BuildOptions;
use criterion::{criterion_group, criterion_main, Criterion};

/// A generated site in a temporary folder (kept for the whole run).
fn corpus() -> (tempfile::TempDir, PathBuf) {
    let articles = std::env::var("BROADSHEET_BENCH_ARTICLES").unwrap_or_else(|_| "1000".into());
    let dir = tempfile::tempdir().expect("a temporary folder");
    let site = dir.path().join("site");
    let generator = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py");
    let status = Command::new("python3")
        .arg(&generator)
        .arg(&site)
        .args(["--articles", &articles])
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("cannot run python3 {}: {e}", generator.display()));
    assert!(status.success(), "{} failed", generator.display());
    std::fs::write(
        site.join("config.toml"),
        "title = \"Bench Digest\"\nbase_url = \"https://example.org/\"\n",
    )
    .expect("config.toml written");
    (dir, site)
}

fn stages(c: &mut Criterion) {
    let (_dir, site) = corpus();
    let options = BuildOptions::read_only(site.clone(), false, false);
    let loaded = broadsheet::load(&options).expect("the corpus builds");
    let (library, config) = (&loaded.library, &loaded.config);

    let mut group = c.benchmark_group("stages");
    group.sample_size(10);
    group.bench_function("load, parse and Markdown", |b| b.iter(|| broadsheet::load(&options)));
    group.bench_function("related news, every list", |b| {
        b.iter(|| Engine::new(library, &config.related, &config.language).all(library))
    });
    // Into memory when the machine has a tmpfs, so that the disk does not blur the figure.
    let shm = Path::new("/dev/shm");
    let out = if shm.is_dir() {
        shm.join(format!("broadsheet-bench-{}", std::process::id()))
    } else {
        site.join("out")
    };
    let build = BuildOptions { output: Some(out.clone()), ..options.clone() };
    group.bench_function("whole build, no cache", |b| {
        b.iter(|| {
            let _ = std::fs::remove_dir_all(&out);
            broadsheet::build(&build).expect("the build succeeds")
        })
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&out);

    let related = Engine::new(library, &config.related, &config.language).all(library);
    let theme = Theme::load(&site, &SiteConstants::of(config)).expect("the built-in theme");
    let renderer = Renderer::new(RenderInput {
        library,
        related: RelatedLists::All(&related),
        config,
        theme: &theme,
        tz: loaded.tz,
        now: options.now,
    })
    .expect("the built-in theme's partials render");
    let pages = renderer.pages();
    let first = |test: &dyn Fn(&Page) -> bool| pages.iter().find(|p| test(p)).cloned();
    let kinds = [
        ("article page", first(&|p| matches!(p, Page::Article(_)))),
        ("category page", first(&|p| matches!(p, Page::Group(GroupKind::Category, _, _)))),
        ("tag page", first(&|p| matches!(p, Page::Group(GroupKind::Tag, _, _)))),
        ("author page", first(&|p| matches!(p, Page::Group(GroupKind::Author, _, _)))),
        ("daily digest", first(&|p| matches!(p, Page::Day(_)))),
        ("front page", first(&|p| matches!(p, Page::Front))),
    ];
    let mut group = c.benchmark_group("render one page");
    for (name, page) in kinds {
        let page = page.unwrap_or_else(|| panic!("the corpus has no {name}"));
        group.bench_function(name, |b| b.iter(|| renderer.render(&page).expect("the page renders")));
    }
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
