//! Preview server: the live-reload script injected into served HTML pages (never into
//! `build` output), and the error overlay it shows.

/// Path of the Server-Sent Events stream the script listens to.
pub const EVENTS_PATH: &str = "/__broadsheet/events";

/// Inserts the live-reload script before `</body>` (or at the end). `generation` identifies
/// the build the page came from, so a reconnect after a server restart reloads the page;
/// `error` is shown as an overlay right away.
pub fn inject(html: &str, generation: u64, error: Option<&str>) -> String {
    let error_json = serde_json::to_string(&error).unwrap_or_else(|_| "null".into());
    let script = format!(
        "<script data-broadsheet-live>\n(function () {{\n  var build = \"{generation}\";\n  var firstError = {error};\n{body}}})();\n</script>\n",
        error = crate::render::script_safe_json(&error_json),
        body = SCRIPT_BODY,
    );
    match html.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &html[..at], &html[at..]),
        None => format!("{html}{script}"),
    }
}

const SCRIPT_BODY: &str = r#"  function overlay(text) {
    var box = document.getElementById("broadsheet-error");
    if (!text) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "broadsheet-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);color:#fff;padding:2rem;font:14px/1.5 ui-monospace,monospace";
      document.body.appendChild(box);
    }
    box.innerHTML = "<p style=\"color:#ff8a80;font-weight:bold;margin:0 0 1rem\">Broadsheet: the last edit did not build. The page shows the last good version.</p><pre style=\"white-space:pre-wrap;margin:0\"></pre>";
    box.querySelector("pre").textContent = text;
  }
  if (firstError) { document.addEventListener("DOMContentLoaded", function () { overlay(firstError); }); }
  var source = new EventSource("/__broadsheet/events");
  source.addEventListener("hello", function (e) { if (e.data !== build) location.reload(); });
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("css", function (e) {
    build = e.data;
    document.querySelectorAll("link[rel=stylesheet]").forEach(function (link) {
      var url = new URL(link.href); url.searchParams.set("v", Date.now()); link.href = url.href;
    });
  });
  source.addEventListener("failed", function (e) { overlay(e.data); });
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_body_end() {
        let html = inject("<html><body><p>x</p></body></html>", 7, None);
        assert!(html.contains("var build = \"7\";"));
        assert!(html.ends_with("</script>\n</body></html>"));
    }

    #[test]
    fn error_text_cannot_break_out() {
        let html = inject("<body></body>", 1, Some("bad </script><script>alert(1)</script>"));
        assert_eq!(html.matches("</script>").count(), 1, "{html}");
    }
}
