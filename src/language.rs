//! What the site's `language` (a BCP 47 tag such as `de-CH`) means for its pages: the
//! locale that names months and days, the writing direction, and the language codes that
//! OpenGraph and Google News accept.

use chrono::Locale;

/// The parts of a language tag that matter here: `zh-Hant-TW` -> (`zh`, `Hant`, `TW`).
struct Tag<'a> {
    language: String,
    script: Option<&'a str>,
    region: Option<String>,
}

fn parse(tag: &str) -> Tag<'_> {
    let mut parts = tag.split(['-', '_']);
    let language = parts.next().unwrap_or_default().to_ascii_lowercase();
    let (mut script, mut region) = (None, None);
    for part in parts {
        if part.len() == 4 && part.chars().all(|c| c.is_ascii_alphabetic()) && script.is_none() {
            script = Some(part);
        } else if (part.len() == 2 && part.chars().all(|c| c.is_ascii_alphabetic()))
            || (part.len() == 3 && part.chars().all(|c| c.is_ascii_digit()))
        {
            region = region.or(Some(part.to_ascii_uppercase()));
        }
    }
    Tag { language, script, region }
}

/// The region a language is most often written in, where it is not the language code in
/// capitals (`de` -> `DE` needs no entry; `ja` -> `JP` does).
const USUAL_REGION: &[(&str, &str)] = &[
    ("ar", "EG"),
    ("be", "BY"),
    ("bn", "BD"),
    ("ca", "ES"),
    ("cs", "CZ"),
    ("cy", "GB"),
    ("da", "DK"),
    ("el", "GR"),
    ("et", "EE"),
    ("eu", "ES"),
    ("fa", "IR"),
    ("ga", "IE"),
    ("gl", "ES"),
    ("he", "IL"),
    ("hi", "IN"),
    ("hy", "AM"),
    ("ja", "JP"),
    ("ka", "GE"),
    ("kk", "KZ"),
    ("ko", "KR"),
    ("ms", "MY"),
    ("nb", "NO"),
    ("nn", "NO"),
    ("no", "NO"),
    ("sl", "SI"),
    ("sq", "AL"),
    ("sr", "RS"),
    ("sv", "SE"),
    ("sw", "KE"),
    ("ta", "IN"),
    ("uk", "UA"),
    ("ur", "PK"),
    ("vi", "VN"),
    ("zh", "CN"),
];

/// The region of a tag, or the one its language is usually written in: `de-CH` -> `CH`,
/// `de` -> `DE`, `ja` -> `JP`, `zh-Hant` -> `TW`.
fn region_of(tag: &Tag) -> String {
    if let Some(region) = &tag.region {
        return region.clone();
    }
    if tag.language == "zh" && tag.script.is_some_and(|s| s.eq_ignore_ascii_case("hant")) {
        return "TW".into();
    }
    USUAL_REGION
        .iter()
        .find(|(language, _)| *language == tag.language)
        .map_or_else(|| tag.language.to_ascii_uppercase(), |(_, region)| region.to_string())
}

/// The locale whose month and day names dates are written with, or `None` for English
/// (chrono's own names) and for languages chrono has no names for.
pub fn date_locale(language: &str) -> Option<Locale> {
    let tag = parse(language);
    if tag.language == "en" || tag.language.is_empty() {
        return None;
    }
    let language = if tag.language == "no" { "nb".to_string() } else { tag.language.clone() };
    let candidates = [
        format!("{language}_{}", region_of(&tag)),
        format!("{language}_{}", language.to_ascii_uppercase()),
        USUAL_REGION
            .iter()
            .find(|(l, _)| *l == language)
            .map_or_else(String::new, |(l, region)| format!("{l}_{region}")),
    ];
    candidates.iter().find_map(|name| Locale::try_from(name.as_str()).ok())
}

/// Languages written from right to left (by their usual script).
const RIGHT_TO_LEFT: &[&str] =
    &["ar", "arc", "ckb", "dv", "fa", "he", "iw", "ji", "ks", "ps", "sd", "syr", "ug", "ur", "yi"];

/// `rtl` for a language written from right to left, else `ltr`: the pages' `dir`.
pub fn direction(language: &str) -> &'static str {
    let tag = parse(language);
    let script_rtl = tag
        .script
        .is_some_and(|s| ["arab", "hebr", "syrc", "thaa", "nkoo"].contains(&s.to_ascii_lowercase().as_str()));
    let script_ltr = tag.script.is_some_and(|s| !script_rtl && !s.is_empty());
    if script_rtl || (!script_ltr && RIGHT_TO_LEFT.contains(&tag.language.as_str())) {
        "rtl"
    } else {
        "ltr"
    }
}

/// OpenGraph's `og:locale`: language and territory (`de_CH`, `en_US`, `zh_TW`), or none
/// when there is no such locale (`es-419`, or a language whose usual territory is not
/// known here): no tag is better than a made-up one.
pub fn og_locale(language: &str) -> Option<String> {
    let tag = parse(language);
    let region =
        if tag.region.is_none() && tag.language == "en" { "US".to_string() } else { region_of(&tag) };
    let locale = format!("{}_{region}", tag.language);
    Locale::try_from(locale.as_str()).is_ok().then_some(locale)
}

/// Google News's `news:language`: an ISO 639 code, with `zh-cn` and `zh-tw` the only
/// regional ones (`zh-Hant` is `zh-tw`, `zh-HK` too).
pub fn news_language(language: &str) -> String {
    let tag = parse(language);
    if tag.language == "zh" {
        let traditional = matches!(region_of(&tag).as_str(), "TW" | "HK" | "MO");
        return if traditional { "zh-tw" } else { "zh-cn" }.into();
    }
    tag.language
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_take_the_languages_month_names() {
        let names = |language: &str| {
            let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 28).unwrap();
            match date_locale(language) {
                Some(locale) => date
                    .and_hms_opt(0, 0, 0)
                    .unwrap()
                    .and_utc()
                    .format_localized("%A %-d %B", locale)
                    .to_string(),
                None => date.format("%A %-d %B").to_string(),
            }
        };
        assert_eq!(names("en"), "Saturday 28 March");
        assert_eq!(names("en-GB"), "Saturday 28 March");
        assert_eq!(names("de-CH"), "Samstag 28 März");
        assert_eq!(names("de"), "Samstag 28 März");
        assert_eq!(names("fr"), "samedi 28 mars");
        assert_eq!(names("es-MX"), "sábado 28 marzo");
        assert_eq!(names("ja"), "土曜日 28 3月");
        assert_eq!(names("no"), "lørdag 28 mars");
        assert!(date_locale("xx").is_none(), "an unknown language keeps English names");
    }

    #[test]
    fn right_to_left_languages_and_scripts() {
        assert_eq!(direction("ar"), "rtl");
        assert_eq!(direction("he-IL"), "rtl");
        assert_eq!(direction("fa"), "rtl");
        assert_eq!(direction("en"), "ltr");
        assert_eq!(direction("de-CH"), "ltr");
        assert_eq!(direction("az-Arab"), "rtl");
        assert_eq!(direction("ku-Latn"), "ltr");
        assert_eq!(direction("ur-Latn"), "ltr");
    }

    #[test]
    fn opengraph_and_google_news_codes() {
        let og = |language: &str| og_locale(language).unwrap_or_default();
        assert_eq!(og("en"), "en_US");
        assert_eq!(og("en-GB"), "en_GB");
        assert_eq!(og("de-CH"), "de_CH");
        assert_eq!(og("de"), "de_DE");
        assert_eq!(og("he"), "he_IL");
        assert_eq!(og("zh-Hant"), "zh_TW");
        assert_eq!(og("zh-Hans-CN"), "zh_CN");
        for made_up in ["es-419", "ku-Arab", "xx", "dv"] {
            assert_eq!(og_locale(made_up), None, "{made_up}");
        }
        assert_eq!(news_language("en-GB"), "en");
        assert_eq!(news_language("zh-CN"), "zh-cn");
        assert_eq!(news_language("zh-Hant"), "zh-tw");
        assert_eq!(news_language("zh-Hans"), "zh-cn");
        assert_eq!(news_language("zh-HK"), "zh-tw");
        assert_eq!(news_language("de-CH"), "de");
    }
}
