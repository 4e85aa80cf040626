//! Hostile and odd input: links out of content/, locks, interruption, unwritable output,
//! huge and strange articles. Each must give a clear result and never touch the last site.

mod common;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use broadsheet::{build, BuildOptions, Error};
use common::{broadsheet, build_folders, stderr, stdout, write};

fn options(site: &std::path::Path) -> BuildOptions {
    BuildOptions {
        source: site.to_path_buf(),
        output: None,
        drafts: false,
        future: false,
        base_url: None,
        now: chrono::Utc::now(),
        cancel: None,
        use_cache: false,
    }
}

#[test]
fn symlinks_out_of_content_and_loops_are_reported_not_followed() {
    let (dir, site) = common::site_copy("basic");
    write(&dir.path().join("outside.md"), "+++\ntitle = \"Secret\"\ndate = 2026-01-01\n+++\nsecret\n");
    std::os::unix::fs::symlink(dir.path().join("outside.md"), site.join("content/world/leak.md")).unwrap();
    std::os::unix::fs::symlink(site.join("content"), site.join("content/world/loop")).unwrap();
    std::os::unix::fs::symlink(site.join("content/world/talks.md"), site.join("content/tech/again.md"))
        .unwrap();
    let out = broadsheet(&site, &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("symbolic link points outside content/") && err.contains("content/world/leak.md"),
        "{err}"
    );
    assert!(err.contains("content/world/loop") && err.contains("not followed"), "{err}");
    assert!(!err.contains("again.md"), "a link to a file inside content/ is fine: {err}");
}

#[test]
fn a_second_build_into_the_same_folder_is_refused_while_one_runs() {
    let (_dir, site) = common::site_copy("basic");
    let lock = std::fs::File::create(site.join(".public.broadsheet-lock")).unwrap();
    lock.try_lock().unwrap();
    let out = broadsheet(&site, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("another build is writing to"), "{}", stderr(&out));
    lock.unlock().unwrap();
    assert!(broadsheet(&site, &["build"]).status.success(), "free again once the lock is released");
}

#[test]
fn an_interrupted_build_leaves_the_last_site_and_no_temporary_folder() {
    let (_dir, site) = common::site_copy("basic");
    assert!(broadsheet(&site, &["build"]).status.success());
    let before = common::read_tree(&site.join("public"));
    write(&site.join("content/world/new.md"), "+++\ntitle = \"New\"\ndate = 2026-11-20\n+++\nNew.\n");
    let cancel = Arc::new(AtomicBool::new(true));
    let result = build(&BuildOptions { cancel: Some(cancel), ..options(&site) });
    assert!(matches!(result, Err(Error::Interrupted)), "{result:?}");
    assert_eq!(common::read_tree(&site.join("public")), before);
    assert!(build_folders(&site).is_empty(), "{:?}", build_folders(&site));
}

#[test]
fn an_unwritable_output_folder_is_a_clear_error() {
    let (dir, site) = common::site_copy("basic");
    write(&dir.path().join("a-file"), "not a folder");
    let target = dir.path().join("a-file/out");
    let out = broadsheet(&site, &["build", "-o", target.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot create folder") && err.contains("a-file"), "{err}");
}

#[test]
fn huge_odd_and_foreign_articles_build() {
    let (_dir, site) = common::site_copy("basic");
    let long_title = "Breaking ".repeat(111); // 999 characters
    let big_body = "Markets moved sharply today as traders weighed the news. ".repeat(50_000); // ~2.9 MB
    write(
        &site.join("content/world/big.md"),
        &format!("+++\ntitle = \"{}\"\ndate = 2026-11-20\n+++\n\n{big_body}\n", long_title.trim()),
    );
    write(
        &site.join("content/world/emoji.md"),
        "+++\ntitle = \"Zürich café 🎉 opens\"\ndate = 2026-11-20\n+++\nParty.\n",
    );
    write(
        &site.join("content/world/arabic.md"),
        "+++\ntitle = \"أخبار اليوم\"\ndate = 2026-11-20\nslug = \"أخبار-اليوم\"\n+++\nنص.\n",
    );
    write(&site.join("content/world/hebrew.md"), "+++\ntitle = \"חדשות\"\ndate = 2026-11-20\n+++\nטקסט.\n");
    std::fs::write(site.join("content/world/crlf-bom-tabs.md"), "\u{feff}+++\r\ntitle = \"CRLF\"\r\ndate = 2026-11-20\r\n+++\r\n\tIndented\twith tabs\r\nand a NUL \0 byte.\r\n").unwrap();
    let tags: Vec<String> = (0..3_000).map(|i| format!("\"tag {i}\"")).collect();
    write(
        &site.join("content/world/tags.md"),
        &format!("+++\ntitle = \"Many tags\"\ndate = 2026-11-20\ntags = [{}]\n+++\nTags.\n", tags.join(", ")),
    );
    for i in 0..100 {
        write(
            &site.join(format!("content/cat{i}/a{i}.md")),
            &format!("+++\ntitle = \"Story {i}\"\ndate = 2026-11-19\n+++\nText.\n"),
        );
    }
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Built 110 articles"), "{}", stdout(&out));
    let public = site.join("public");
    assert!(public.join("world/big/index.html").metadata().unwrap().len() > 2_800_000);
    assert!(public.join("world/emoji/index.html").is_file(), "file-name slugs");
    let arabic = std::fs::read_dir(public.join("world"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .find(|n| n.starts_with("khbr") || n.starts_with("akh"));
    assert!(arabic.is_some(), "a transliterated ASCII slug for an Arabic slug");
    let crlf = std::fs::read_to_string(public.join("world/crlf-bom-tabs/index.html")).unwrap();
    assert!(
        crlf.contains("<h1 id=\"headline\">CRLF</h1>") && !crlf.contains('\0'),
        "BOM, CRLF, tabs and NUL are handled"
    );
    assert!(public.join("tags/tag-2999/index.html").is_file());
    assert!(public.join("cat99/index.html").is_file());
}

#[test]
fn ctrl_c_during_a_build_leaves_the_last_site_and_cleans_up() {
    interrupted_build_leaves_the_last_site("-INT");
}

/// What `timeout`, `docker stop`, systemd and a cancelled CI job send.
#[test]
fn a_terminated_build_leaves_the_last_site_and_cleans_up() {
    interrupted_build_leaves_the_last_site("-TERM");
}

fn interrupted_build_leaves_the_last_site(signal: &str) {
    let (_dir, site) = common::site_copy("basic");
    assert!(broadsheet(&site, &["build"]).status.success());
    let before = common::read_tree(&site.join("public"));
    for i in 0..3000 {
        write(
            &site.join(format!("content/bulk/a{i}.md")),
            &format!(
                "+++\ntitle = \"Bulk story {i}\"\ndate = 2026-11-19\ntags = [\"t{}\"]\n+++\n{}\n",
                i % 300,
                "Words of the story. ".repeat(40)
            ),
        );
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .arg("build")
        .current_dir(&site)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let temp = site.join(format!(".public.broadsheet-tmp-{}", child.id()));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !temp.exists() && std::time::Instant::now() < deadline && child.try_wait().unwrap().is_none() {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(temp.exists(), "the build reached the writing stage");
    std::process::Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "interrupted builds exit with 130");
    assert_eq!(common::read_tree(&site.join("public")), before, "the last site is untouched");
    assert!(!temp.exists(), "the temporary folder is removed");
}

/// Runs the binary as an unprivileged user (nobody, via util-linux `setpriv`) when the tests
/// run as root, as they do on CI: file permissions do not stop root. As any other user it
/// runs as that user. The binary is copied into `dir` so the user can run it wherever the
/// checkout lives.
fn broadsheet_unprivileged(
    dir: &std::path::Path,
    site: &std::path::Path,
    args: &[&str],
) -> std::process::Output {
    use std::process::Command;
    let binary = dir.join("broadsheet-bin");
    if !binary.exists() {
        std::fs::copy(env!("CARGO_BIN_EXE_broadsheet"), &binary).unwrap();
    }
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout == b"0\n");
    let mut command = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]).arg(&binary);
        c
    } else {
        Command::new(&binary)
    };
    command.args(args).current_dir(site).output().expect("setpriv (util-linux) is installed")
}

/// Opens a folder tree to everyone, so the unprivileged user can read and write it.
fn open_to_all(root: &std::path::Path) {
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.unwrap();
        let mode = if entry.file_type().is_dir() { 0o777 } else { 0o666 };
        set_mode(entry.path(), mode);
    }
}

fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn an_unreadable_article_is_reported_with_every_other_error() {
    let (dir, site) = common::site_copy("basic");
    write(&site.join("content/world/bad.md"), "+++\ntitle = \"Bad\"\ncatgory = \"World\"\n+++\n");
    open_to_all(dir.path());
    set_mode(&site.join("content/tech/chips.md"), 0o000);
    let out = broadsheet_unprivileged(dir.path(), &site, &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("content/tech/chips.md") && err.contains("cannot read the file"), "{err}");
    assert!(err.contains("ermission denied") && err.contains("permissions"), "{err}");
    assert!(err.contains("content/world/bad.md:3:1") && err.contains("unknown key `catgory`"), "{err}");
    assert!(!site.join("public").exists(), "nothing is written");
}

#[test]
fn a_read_only_output_folder_fails_clearly_and_keeps_the_last_site() {
    let (dir, site) = common::site_copy("basic");
    assert!(broadsheet(&site, &["build"]).status.success());
    let before = common::read_tree(&site.join("public"));
    open_to_all(dir.path());
    let chips = site.join("content/tech/chips.md");
    std::fs::write(&chips, std::fs::read_to_string(&chips).unwrap().replace("Chip makers", "Chip firms"))
        .unwrap();
    // Read-only: the output folder, everything in it, and the site folder it sits in.
    for entry in walkdir::WalkDir::new(site.join("public")) {
        let entry = entry.unwrap();
        set_mode(entry.path(), if entry.file_type().is_dir() { 0o555 } else { 0o444 });
    }
    set_mode(&site, 0o555);
    let out = broadsheet_unprivileged(dir.path(), &site, &["build"]);
    set_mode(&site, 0o777);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("ermission denied") && err.contains("beside the output folder"), "{err}");
    assert!(err.contains("choose another output with --output"), "{err}");
    assert_eq!(common::read_tree(&site.join("public")), before, "the last site is untouched");
}

#[test]
fn a_commit_that_fails_part_way_puts_the_last_site_back() {
    let (dir, site) = common::site_copy("basic");
    assert!(broadsheet(&site, &["build"]).status.success());
    open_to_all(dir.path());
    // A new title changes every page. Files move in in path order, so the front page and
    // the tech/ pages are in place before world/, read-only, stops the commit.
    let config = site.join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let title = text.lines().find(|l| l.starts_with("title")).unwrap().to_string();
    std::fs::write(&config, text.replace(&title, "title = \"The Renamed Digest\"")).unwrap();
    // A new article too: its folder is made during the commit, and must go again.
    write(&site.join("content/tech/fresh.md"), "+++\ntitle = \"Fresh\"\ndate = 2026-11-20\n+++\nNew.\n");
    open_to_all(&site.join("content/tech"));
    for entry in walkdir::WalkDir::new(site.join("public/world")) {
        let entry = entry.unwrap();
        set_mode(entry.path(), if entry.file_type().is_dir() { 0o555 } else { 0o444 });
    }
    let before = common::read_tree(&site.join("public"));
    let out = broadsheet_unprivileged(dir.path(), &site, &["build"]);
    for entry in walkdir::WalkDir::new(site.join("public/world")) {
        set_mode(entry.unwrap().path(), 0o777);
    }
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    // As nobody, a root-owned read-only file cannot be linked (`fs.protected_hardlinks`), so
    // moving it aside fails; where it can be, moving the new one in does.
    assert!(
        (err.contains("move the old file aside") || err.contains("move into place"))
            && err.contains("public/world/"),
        "{err}"
    );
    assert!(err.contains("ermission denied"), "{err}");
    assert!(!err.contains("could not be put back"), "{err}");
    assert!(err.contains("the previous site was put back as it was"), "{err}");
    assert_eq!(common::read_tree(&site.join("public")), before, "the last site is back, byte for byte");
    assert!(!site.join("public/tech/fresh").exists(), "the folder made for the new page is gone");
    assert!(build_folders(&site).is_empty(), "{:?}", build_folders(&site));
    // Once the folder is writable again, the same build goes through.
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let front = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(front.contains("The Renamed Digest"));
}

#[test]
fn an_update_over_files_the_builder_may_not_link_still_goes_through() {
    let (dir, site) = common::site_copy("basic");
    assert!(broadsheet(&site, &["build"]).status.success());
    open_to_all(dir.path());
    // Folders writable, files read-only: as nobody (tests run as root on CI), a hard link to
    // a root-owned file is refused (`fs.protected_hardlinks`), so the old files are moved
    // aside instead, as on a file system without hard links.
    for entry in walkdir::WalkDir::new(site.join("public")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            set_mode(entry.path(), 0o444);
        }
    }
    let config = site.join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let title = text.lines().find(|l| l.starts_with("title")).unwrap().to_string();
    std::fs::write(&config, text.replace(&title, "title = \"The Renamed Digest\"")).unwrap();
    let out = broadsheet_unprivileged(dir.path(), &site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let clean = dir.path().join("clean");
    assert!(broadsheet(&site, &["build", "--no-cache", "-o", clean.to_str().unwrap()]).status.success());
    assert_eq!(common::read_tree(&site.join("public")), common::read_tree(&clean));
    assert!(build_folders(&site).is_empty(), "{:?}", build_folders(&site));
}

#[test]
fn an_output_folder_behind_a_symbolic_link_is_built_inside_the_link() {
    // A link (like a volume of its own) cannot be replaced by a folder nor, on another
    // file system, receive files moved from beside it: the build stages inside it.
    let (dir, site) = common::site_copy("basic");
    let elsewhere = dir.path().join("www");
    std::fs::create_dir(&elsewhere).unwrap();
    // What a build killed while staging there would have left.
    write(&elsewhere.join(".public.broadsheet-tmp-999999/world/index.html"), "half a site");
    std::os::unix::fs::symlink(&elsewhere, site.join("public")).unwrap();
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let config = site.join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let title = text.lines().find(|l| l.starts_with("title")).unwrap().to_string();
    std::fs::write(&config, text.replace(&title, "title = \"The Renamed Digest\"")).unwrap();
    let out = broadsheet(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));

    assert!(std::fs::symlink_metadata(site.join("public")).unwrap().file_type().is_symlink(), "still a link");
    let clean = dir.path().join("clean");
    assert!(broadsheet(&site, &["build", "--no-cache", "-o", clean.to_str().unwrap()]).status.success());
    assert_eq!(common::read_tree(&elsewhere), common::read_tree(&clean), "the site, and only the site");
    assert!(build_folders(&elsewhere).is_empty(), "{:?}", build_folders(&elsewhere));
    assert!(build_folders(&site).is_empty(), "{:?}", build_folders(&site));
}

/// Runs a shell `script` as root of a private user and mount namespace (`unshare`,
/// util-linux), so that it may mount a tmpfs without root or a mount on the machine; the
/// mounts vanish with the shell. The script gets `$D` (a scratch folder), `$SITE` and `$BIN`.
fn in_private_mount_namespace(
    script: &str,
    d: &std::path::Path,
    site: &std::path::Path,
) -> std::process::ExitStatus {
    std::process::Command::new("unshare")
        .args(["--mount", "--user", "--map-root-user", "sh", "-c", script])
        .env("D", d)
        .env("SITE", site)
        .env("BIN", env!("CARGO_BIN_EXE_broadsheet"))
        .status()
        .expect("unshare (util-linux) is installed")
}

#[test]
fn an_output_folder_that_is_a_file_system_of_its_own_is_built_and_updated() {
    // A volume mounted as the output folder (as Docker or Kubernetes would): nothing can be
    // moved into it from beside it, so the build stages inside. A tmpfs in a private mount
    // namespace, as in the full-disk test below.
    let (dir, site) = common::site_copy("basic");
    let d = dir.path();
    std::fs::create_dir(site.join("public")).unwrap();
    let script = r#"
mount -t tmpfs tmpfs "$SITE/public" || exit 20
"$BIN" build -s "$SITE" 2> "$D/stderr" || exit 21
sed -i 's/^title = .*/title = "The Renamed Digest"/' "$SITE/config.toml"
"$BIN" build -s "$SITE" > "$D/stdout" 2>> "$D/stderr" || exit 22
"$BIN" build -s "$SITE" --no-cache -o "$D/clean" 2>> "$D/stderr" || exit 23
diff -r "$D/clean" "$SITE/public" > "$D/diff"; echo $? > "$D/diff-code"
ls -A "$SITE/public" "$SITE" > "$D/left"
"#;
    let status = in_private_mount_namespace(script, d, &site);
    let read = |name: &str| std::fs::read_to_string(d.join(name)).unwrap_or_default();
    assert!(status.success(), "failed ({status:?}): {}", read("stderr"));
    assert!(read("stdout").contains("written"), "{}", read("stdout"));
    assert_eq!(read("diff-code").trim(), "0", "not the clean build's site: {}", read("diff"));
    let left = read("left");
    assert!(!left.contains("broadsheet-tmp") && !left.contains("broadsheet-lock"), "left: {left}");
}

#[test]
fn a_read_only_site_folder_only_costs_the_build_cache() {
    let (dir, site) = common::site_copy("basic");
    let output = dir.path().join("out");
    open_to_all(dir.path());
    set_mode(&site, 0o555);
    let out = broadsheet_unprivileged(dir.path(), &site, &["build", "-o", output.to_str().unwrap()]);
    set_mode(&site, 0o777);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("the build cache was not saved"), "{}", stderr(&out));
    assert!(output.join("tech/chips/index.html").is_file());
}

#[test]
fn a_full_disk_fails_clearly_and_keeps_the_last_site() {
    // A 512 KiB tmpfs, mounted in a private user and mount namespace (`unshare`, util-linux)
    // so that neither root nor a mount on the machine is needed; it vanishes with the shell.
    // The first build fits; the second adds a 1 MB article (its page and feeds need far more
    // room than is left) and must fail without touching the first build's site.
    let (dir, site) = common::site_copy("basic");
    let d = dir.path();
    std::fs::create_dir(d.join("mnt")).unwrap();
    let body = "Harbour talks went on. ".repeat(50_000);
    write(&d.join("long.md"), &format!("+++\ntitle = \"Long\"\ndate = 2026-11-21T08:00:00Z\n+++\n{body}\n"));
    let script = r#"
mount -t tmpfs -o size=512k tmpfs "$D/mnt" || exit 20
"$BIN" build -q -s "$SITE" -o "$D/mnt/public" 2> "$D/stderr" || exit 21
cp -a "$D/mnt/public" "$D/snapshot"
mv "$D/long.md" "$SITE/content/world/long.md"
"$BIN" build -s "$SITE" -o "$D/mnt/public" 2> "$D/stderr"
echo $? > "$D/code"
diff -r "$D/snapshot" "$D/mnt/public" > "$D/diff"; echo $? > "$D/diff-code"
ls -A "$D/mnt" > "$D/left"
"#;
    let status = in_private_mount_namespace(script, d, &site);
    let read = |name: &str| std::fs::read_to_string(d.join(name)).unwrap_or_default();
    assert!(status.success(), "setup failed ({status:?}): {}", read("stderr"));
    let err = read("stderr");
    assert_eq!(read("code").trim(), "1", "{err}");
    assert!(err.contains("No space left on device"), "{err}");
    // The file named is the site's (`world/long/index.html`), not its staged number.
    let named =
        err.split("cannot write ").nth(1).and_then(|rest| rest.split(" (into ").next()).unwrap_or_default();
    assert!(!named.is_empty() && !named.starts_with('/') && named.contains('.'), "{err}");
    assert_eq!(read("diff-code").trim(), "0", "the last site changed: {}", read("diff"));
    assert!(!read("left").contains("broadsheet-tmp"), "temporary folder left: {}", read("left"));
}

#[test]
fn an_existing_empty_output_folder_is_kept_with_its_owner_and_mode() {
    // What `docker run -v` makes on the host before the first build: an empty folder that a
    // bind mount shares. Replacing it would leave the mount looking at the old, empty one.
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let (dir, site) = common::site_copy("basic");
    let out = dir.path().join("www");
    std::fs::create_dir(&out).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o2775)).unwrap();
    let before = std::fs::metadata(&out).unwrap();
    // A build killed beside it left its temporary folder: the next build removes it.
    write(&dir.path().join(".www.broadsheet-tmp-999999/world/index.html"), "half a site");
    let built = broadsheet(&site, &["build", "-o", out.to_str().unwrap()]);
    assert!(built.status.success(), "{}", stderr(&built));
    let after = std::fs::metadata(&out).unwrap();
    assert_eq!((after.ino(), after.mode()), (before.ino(), before.mode()), "the same folder, as it was");
    assert!(out.join("world/summit/index.html").is_file());
    assert!(build_folders(dir.path()).is_empty(), "{:?}", build_folders(dir.path()));
    let clean = dir.path().join("clean");
    assert!(broadsheet(&site, &["build", "--no-cache", "-o", clean.to_str().unwrap()]).status.success());
    assert_eq!(common::read_tree(&out), common::read_tree(&clean));
}

#[test]
fn an_output_path_through_dot_dot_or_a_link_inside_the_output_is_refused() {
    let (dir, site) = common::site_copy("basic");
    let up = broadsheet(&site, &["build", "-o", "public/.."]);
    assert_eq!(up.status.code(), Some(1));
    assert!(stderr(&up).contains("it contains the site itself"), "{}", stderr(&up));
    assert!(!site.join("public").exists(), "nothing made on the way");

    assert!(broadsheet(&site, &["build"]).status.success());
    // A folder of the output replaced by a link to somewhere else: an update must not
    // write or delete through it.
    let elsewhere = dir.path().join("elsewhere");
    std::fs::rename(site.join("public/world"), &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, site.join("public/world")).unwrap();
    let before = common::read_tree(&elsewhere);
    let summit = site.join("content/world/summit.md");
    let text = std::fs::read_to_string(&summit).unwrap();
    std::fs::write(&summit, text.replace("Leaders meet in", "Presidents gather in")).unwrap();
    let out = broadsheet(&site, &["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("is a symbolic link inside the output folder"), "{}", stderr(&out));
    assert_eq!(common::read_tree(&elsewhere), before, "nothing written or deleted through the link");
}
