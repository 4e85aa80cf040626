//! The theme's fixed words ("Related news", "min read", page titles such as "News of …") in
//! the site's language: English, German, French and Spanish built in, and any of them set
//! in config.toml's `[strings]`. Templates read them as `site.strings`.

use std::collections::BTreeMap;

use serde::Serialize;

/// Every key with its English text. `{name}`-style placeholders are filled where the text is
/// used: by Broadsheet for page titles and descriptions, by the templates (`| replace`) for
/// the rest. Keys ending `_one` and `_other` are the singular and plural of one phrase.
pub const ENGLISH: &[(&str, &str)] = &[
    // Page titles and descriptions (`<title>`, meta description).
    ("tag_title", "Tagged “{name}”"),
    ("author_title", "Articles by {name}"),
    ("later_page", "{title} (page {n})"),
    ("group_description", "The latest {name} news"),
    ("author_description", "The latest articles by {name}"),
    ("sections", "Sections"),
    ("topics", "Topics"),
    ("authors", "Authors"),
    ("groups_description", "{title} of {site}"),
    ("day_title", "News of {day}"),
    ("day_description_one", "1 article from {day}"),
    ("day_description_other", "{count} articles from {day}"),
    ("archive", "Archive"),
    ("archive_description", "Every edition of {site}"),
    ("not_found", "Page not found"),
    ("not_found_description", "The page you asked for is not on {site}."),
    ("search", "Search"),
    ("search_description", "Search {site}"),
    // Navigation and page furniture.
    ("skip_to_content", "Skip to content"),
    ("front_page", "Front page"),
    ("latest_edition", "{site}: the latest edition"),
    ("no_articles_yet", "No articles yet."),
    ("more_in", "More in {category}"),
    ("section", "Section"),
    ("topic", "Topic"),
    ("author", "Author"),
    ("more", "More"),
    ("feed", "Feed"),
    ("built_with", "Built with {generator}."),
    ("nothing_here", "Nothing here yet."),
    ("nothing_published", "Nothing published yet."),
    ("articles_one", "1 article"),
    ("articles_other", "{count} articles"),
    ("pages", "Pages"),
    ("newer", "Newer"),
    ("older", "Older"),
    // Articles.
    ("by", "By"),
    ("and", "and"),
    ("list_separator", ", "),
    ("date_time_separator", ", "),
    ("min_read", "{minutes} min read"),
    ("updated", "Updated"),
    ("source", "Source:"),
    ("share", "Share:"),
    ("share_article", "Share this article"),
    ("email", "Email"),
    ("previous_in", "Previous in {category}"),
    ("next_in", "Next in {category}"),
    ("related_news", "Related news"),
    ("moved", "Moved: {title}"),
    ("moved_to", "This article has moved to"),
    // Daily digests.
    ("daily_digest", "Daily digest"),
    ("published_this_day_one", "1 article published this day."),
    ("published_this_day_other", "{count} articles published this day."),
    ("previous_day", "Previous day"),
    ("next_day", "Next day"),
    ("other_days", "Other days"),
    // The 404 and search pages.
    (
        "not_found_text",
        "The page you asked for is not here. It may have moved, or the address may be mistyped.",
    ),
    ("go_front_page", "Go to the front page"),
    ("browse_archive", "Browse the archive"),
    ("search_intro", "Find articles by words in their headline, summary, section or topics."),
    ("search_label", "Search articles"),
    ("search_needs_javascript", "Searching needs JavaScript."),
    ("type_to_search", "Type to search."),
    ("search_failed", "The search index could not be loaded."),
    ("results_one", "1 result"),
    ("results_other", "{count} results"),
    ("searching_older", "Searching older articles…"),
    ("results_searching_older", "{results}; searching older articles…"),
    ("no_match", "No articles match."),
    ("older_not_searched", "Older articles could not be searched."),
];

const GERMAN: &[(&str, &str)] = &[
    ("tag_title", "Thema „{name}“"),
    ("author_title", "Artikel von {name}"),
    ("later_page", "{title} (Seite {n})"),
    ("group_description", "Neues zu {name}"),
    ("author_description", "Die neuesten Artikel von {name}"),
    ("sections", "Ressorts"),
    ("topics", "Themen"),
    ("authors", "Autorinnen und Autoren"),
    ("groups_description", "{title} – {site}"),
    ("day_title", "Nachrichten vom {day}"),
    ("day_description_one", "1 Artikel vom {day}"),
    ("day_description_other", "{count} Artikel vom {day}"),
    ("archive", "Archiv"),
    ("archive_description", "Alle Ausgaben von {site}"),
    ("not_found", "Seite nicht gefunden"),
    ("not_found_description", "Die gesuchte Seite gibt es auf {site} nicht."),
    ("search", "Suche"),
    ("search_description", "{site} durchsuchen"),
    ("skip_to_content", "Zum Inhalt springen"),
    ("front_page", "Startseite"),
    ("latest_edition", "{site}: die aktuelle Ausgabe"),
    ("no_articles_yet", "Noch keine Artikel."),
    ("more_in", "Mehr aus {category}"),
    ("section", "Ressort"),
    ("topic", "Thema"),
    ("author", "Autor/in"),
    ("more", "Mehr"),
    ("feed", "Feed"),
    ("built_with", "Erstellt mit {generator}."),
    ("nothing_here", "Hier gibt es noch nichts."),
    ("nothing_published", "Noch nichts veröffentlicht."),
    ("articles_one", "1 Artikel"),
    ("articles_other", "{count} Artikel"),
    ("pages", "Seiten"),
    ("newer", "Neuer"),
    ("older", "Älter"),
    ("by", "Von"),
    ("and", "und"),
    ("list_separator", ", "),
    ("date_time_separator", ", "),
    ("min_read", "{minutes} Min. Lesezeit"),
    ("updated", "Aktualisiert"),
    ("source", "Quelle:"),
    ("share", "Teilen:"),
    ("share_article", "Artikel teilen"),
    ("email", "E-Mail"),
    ("previous_in", "Vorheriger Artikel in {category}"),
    ("next_in", "Nächster Artikel in {category}"),
    ("related_news", "Das könnte Sie auch interessieren"),
    ("moved", "Verschoben: {title}"),
    ("moved_to", "Dieser Artikel ist umgezogen nach"),
    ("daily_digest", "Tagesübersicht"),
    ("published_this_day_one", "1 Artikel an diesem Tag veröffentlicht."),
    ("published_this_day_other", "{count} Artikel an diesem Tag veröffentlicht."),
    ("previous_day", "Vorheriger Tag"),
    ("next_day", "Nächster Tag"),
    ("other_days", "Andere Tage"),
    ("not_found_text", "Die gesuchte Seite ist nicht hier. Vielleicht wurde sie verschoben, oder die Adresse ist falsch geschrieben."),
    ("go_front_page", "Zur Startseite"),
    ("browse_archive", "Im Archiv stöbern"),
    ("search_intro", "Finden Sie Artikel nach Wörtern in Schlagzeile, Zusammenfassung, Ressort oder Themen."),
    ("search_label", "Artikel durchsuchen"),
    ("search_needs_javascript", "Die Suche braucht JavaScript."),
    ("type_to_search", "Suchbegriff eingeben."),
    ("search_failed", "Der Suchindex konnte nicht geladen werden."),
    ("results_one", "1 Treffer"),
    ("results_other", "{count} Treffer"),
    ("searching_older", "Ältere Artikel werden durchsucht…"),
    ("results_searching_older", "{results}; ältere Artikel werden durchsucht…"),
    ("no_match", "Keine passenden Artikel."),
    ("older_not_searched", "Ältere Artikel konnten nicht durchsucht werden."),
];

const FRENCH: &[(&str, &str)] = &[
    ("tag_title", "Sujet « {name} »"),
    ("author_title", "Articles par {name}"),
    ("later_page", "{title} (page {n})"),
    ("group_description", "L’actualité : {name}"),
    ("author_description", "Les derniers articles signés {name}"),
    ("sections", "Rubriques"),
    ("topics", "Sujets"),
    ("authors", "Auteurs"),
    ("groups_description", "{title} de {site}"),
    ("day_title", "L’actualité du {day}"),
    ("day_description_one", "1 article du {day}"),
    ("day_description_other", "{count} articles du {day}"),
    ("archive", "Archives"),
    ("archive_description", "Toutes les éditions de {site}"),
    ("not_found", "Page introuvable"),
    ("not_found_description", "La page demandée n’existe pas sur {site}."),
    ("search", "Recherche"),
    ("search_description", "Rechercher dans {site}"),
    ("skip_to_content", "Aller au contenu"),
    ("front_page", "À la une"),
    ("latest_edition", "{site} : la dernière édition"),
    ("no_articles_yet", "Aucun article pour l’instant."),
    ("more_in", "Plus dans {category}"),
    ("section", "Rubrique"),
    ("topic", "Sujet"),
    ("author", "Auteur"),
    ("more", "Plus"),
    ("feed", "Flux"),
    ("built_with", "Réalisé avec {generator}."),
    ("nothing_here", "Rien pour l’instant."),
    ("nothing_published", "Rien de publié pour l’instant."),
    ("articles_one", "1 article"),
    ("articles_other", "{count} articles"),
    ("pages", "Pages"),
    ("newer", "Plus récents"),
    ("older", "Plus anciens"),
    ("by", "Par"),
    ("and", "et"),
    ("list_separator", ", "),
    ("date_time_separator", " à "),
    ("min_read", "{minutes} min de lecture"),
    ("updated", "Mis à jour"),
    ("source", "Source :"),
    ("share", "Partager :"),
    ("share_article", "Partager cet article"),
    ("email", "E-mail"),
    ("previous_in", "Précédent dans {category}"),
    ("next_in", "Suivant dans {category}"),
    ("related_news", "À lire aussi"),
    ("moved", "Déplacé : {title}"),
    ("moved_to", "Cet article a été déplacé vers"),
    ("daily_digest", "L’essentiel du jour"),
    ("published_this_day_one", "1 article publié ce jour-là."),
    ("published_this_day_other", "{count} articles publiés ce jour-là."),
    ("previous_day", "Jour précédent"),
    ("next_day", "Jour suivant"),
    ("other_days", "Autres jours"),
    (
        "not_found_text",
        "La page demandée n’est pas ici. Elle a peut-être été déplacée, ou l’adresse est mal saisie.",
    ),
    ("go_front_page", "Aller à la une"),
    ("browse_archive", "Parcourir les archives"),
    ("search_intro", "Trouvez des articles par les mots de leur titre, résumé, rubrique ou sujets."),
    ("search_label", "Rechercher des articles"),
    ("search_needs_javascript", "La recherche nécessite JavaScript."),
    ("type_to_search", "Saisissez votre recherche."),
    ("search_failed", "L’index de recherche n’a pas pu être chargé."),
    ("results_one", "1 résultat"),
    ("results_other", "{count} résultats"),
    ("searching_older", "Recherche dans les articles plus anciens…"),
    ("results_searching_older", "{results} ; recherche dans les articles plus anciens…"),
    ("no_match", "Aucun article ne correspond."),
    ("older_not_searched", "Les articles plus anciens n’ont pas pu être cherchés."),
];

const SPANISH: &[(&str, &str)] = &[
    ("tag_title", "Tema «{name}»"),
    ("author_title", "Artículos de {name}"),
    ("later_page", "{title} (página {n})"),
    ("group_description", "Lo último sobre {name}"),
    ("author_description", "Los últimos artículos de {name}"),
    ("sections", "Secciones"),
    ("topics", "Temas"),
    ("authors", "Autores"),
    ("groups_description", "{title} de {site}"),
    ("day_title", "Noticias del {day}"),
    ("day_description_one", "1 artículo del {day}"),
    ("day_description_other", "{count} artículos del {day}"),
    ("archive", "Archivo"),
    ("archive_description", "Todas las ediciones de {site}"),
    ("not_found", "Página no encontrada"),
    ("not_found_description", "La página que busca no está en {site}."),
    ("search", "Buscar"),
    ("search_description", "Buscar en {site}"),
    ("skip_to_content", "Saltar al contenido"),
    ("front_page", "Portada"),
    ("latest_edition", "{site}: la última edición"),
    ("no_articles_yet", "Todavía no hay artículos."),
    ("more_in", "Más en {category}"),
    ("section", "Sección"),
    ("topic", "Tema"),
    ("author", "Autor"),
    ("more", "Más"),
    ("feed", "Feed"),
    ("built_with", "Hecho con {generator}."),
    ("nothing_here", "Todavía no hay nada aquí."),
    ("nothing_published", "Todavía no se ha publicado nada."),
    ("articles_one", "1 artículo"),
    ("articles_other", "{count} artículos"),
    ("pages", "Páginas"),
    ("newer", "Más recientes"),
    ("older", "Más antiguos"),
    ("by", "Por"),
    ("and", "y"),
    ("list_separator", ", "),
    ("date_time_separator", ", "),
    ("min_read", "{minutes} min de lectura"),
    ("updated", "Actualizado"),
    ("source", "Fuente:"),
    ("share", "Compartir:"),
    ("share_article", "Compartir este artículo"),
    ("email", "Correo"),
    ("previous_in", "Anterior en {category}"),
    ("next_in", "Siguiente en {category}"),
    ("related_news", "Noticias relacionadas"),
    ("moved", "Trasladado: {title}"),
    ("moved_to", "Este artículo se ha trasladado a"),
    ("daily_digest", "Resumen del día"),
    ("published_this_day_one", "1 artículo publicado este día."),
    ("published_this_day_other", "{count} artículos publicados este día."),
    ("previous_day", "Día anterior"),
    ("next_day", "Día siguiente"),
    ("other_days", "Otros días"),
    (
        "not_found_text",
        "La página que busca no está aquí. Puede que se haya movido o que la dirección esté mal escrita.",
    ),
    ("go_front_page", "Ir a la portada"),
    ("browse_archive", "Explorar el archivo"),
    ("search_intro", "Encuentre artículos por las palabras de su titular, resumen, sección o temas."),
    ("search_label", "Buscar artículos"),
    ("search_needs_javascript", "La búsqueda necesita JavaScript."),
    ("type_to_search", "Escriba para buscar."),
    ("search_failed", "No se pudo cargar el índice de búsqueda."),
    ("results_one", "1 resultado"),
    ("results_other", "{count} resultados"),
    ("searching_older", "Buscando en artículos más antiguos…"),
    ("results_searching_older", "{results}; buscando en artículos más antiguos…"),
    ("no_match", "Ningún artículo coincide."),
    ("older_not_searched", "No se pudo buscar en los artículos más antiguos."),
];

/// The theme's words for one site: the built-in ones of its language (English for a
/// language without them), with config.toml's `[strings]` over them.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct Strings(BTreeMap<&'static str, String>);

impl Strings {
    /// The words for `language` (a BCP 47 tag), with `overrides` (keys checked by the
    /// config) in place of the built-in ones.
    pub fn new(language: &str, overrides: &BTreeMap<String, String>) -> Strings {
        let mut words: BTreeMap<&'static str, String> =
            ENGLISH.iter().map(|(key, text)| (*key, text.to_string())).collect();
        words.extend(built_in(language).iter().map(|(key, text)| (*key, text.to_string())));
        for (key, text) in overrides {
            if let Some((known, _)) = ENGLISH.iter().find(|(k, _)| k == key) {
                words.insert(known, text.clone());
            }
        }
        Strings(words)
    }

    /// The words of a site with `config`.
    pub fn of(config: &crate::config::Config) -> Strings {
        Strings::new(&config.language, &config.strings)
    }

    /// The text of `key` (a key of `ENGLISH`).
    pub fn get(&self, key: &str) -> &str {
        self.0.get(key).map_or("", String::as_str)
    }

    /// The text of `key` with its placeholders (`{name}`) filled, in one pass (this runs
    /// for every article and list page).
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        let text = self.get(key);
        let mut out = String::with_capacity(text.len() + 32);
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let filled = after.find('}').and_then(|close| {
                let name = &after[..close];
                values.iter().find(|(n, _)| *n == name).map(|(_, value)| (*value, close))
            });
            match filled {
                Some((value, close)) => {
                    out.push_str(value);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The singular (`{key}_one`) or plural (`{key}_other`) of a phrase for `count`, filled.
    pub fn count(&self, key: &str, count: usize, values: &[(&str, &str)]) -> String {
        let form = if count == 1 { "_one" } else { "_other" };
        let count = count.to_string();
        let mut all = Vec::with_capacity(values.len() + 1);
        all.push(("count", count.as_str()));
        all.extend_from_slice(values);
        self.fill(&[key, form].concat(), &all)
    }
}

/// The built-in words of a language, if Broadsheet has them.
fn built_in(language: &str) -> &'static [(&'static str, &'static str)] {
    match language.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase().as_str() {
        "de" => GERMAN,
        "fr" => FRENCH,
        "es" => SPANISH,
        _ => &[],
    }
}

/// The English text of `key` (empty for a key that is not one).
pub fn english(key: &str) -> &'static str {
    ENGLISH.iter().find(|(k, _)| *k == key).map_or("", |(_, text)| text)
}

/// The placeholders a text uses, in order: `{count} articles from {day}` -> count, day. A
/// name is letters and `_`, as the built-in ones are; other braces are text.
pub fn placeholders(text: &str) -> Vec<String> {
    text.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}'))
        .map(|(name, _)| name)
        .filter(|name| !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        .map(str::to_string)
        .collect()
}

/// The keys `[strings]` accepts.
pub fn keys() -> Vec<&'static str> {
    ENGLISH.iter().map(|(key, _)| *key).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_translation_has_every_key_and_its_placeholders() {
        let placeholders = |text: &str| -> Vec<String> {
            text.split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}'))
                .map(|(name, _)| name.to_string())
                .collect()
        };
        for (language, table) in [("de", GERMAN), ("fr", FRENCH), ("es", SPANISH)] {
            assert_eq!(table.len(), ENGLISH.len(), "{language}");
            for ((key, english), (translated_key, translated)) in ENGLISH.iter().zip(table.iter()) {
                assert_eq!(key, translated_key, "{language}: same keys in the same order");
                let (mut a, mut b) = (placeholders(english), placeholders(translated));
                a.sort();
                b.sort();
                assert_eq!(a, b, "{language} `{key}`: {translated}");
            }
        }
    }

    #[test]
    fn the_readme_lists_every_key() {
        let readme = include_str!("../README.md");
        for (key, _) in ENGLISH {
            assert!(readme.contains(&format!("| `{key}` | ")), "README's [strings] table lacks `{key}`");
        }
    }

    #[test]
    fn the_sites_language_and_then_config_choose_the_words() {
        let none = BTreeMap::new();
        assert_eq!(Strings::new("en-GB", &none).get("related_news"), "Related news");
        assert_eq!(Strings::new("de-CH", &none).get("related_news"), "Das könnte Sie auch interessieren");
        assert_eq!(Strings::new("ja", &none).get("related_news"), "Related news");
        let mine = BTreeMap::from([("related_news".to_string(), "Mehr zum Thema".to_string())]);
        let de = Strings::new("de", &mine);
        assert_eq!(de.get("related_news"), "Mehr zum Thema");
        assert_eq!(de.count("articles", 1, &[]), "1 Artikel");
        assert_eq!(
            Strings::new("en", &none).count("day_description", 3, &[("day", "May 1")]),
            "3 articles from May 1"
        );
        assert_eq!(Strings::new("en", &none).fill("more_in", &[("category", "World")]), "More in World");
        // A brace that starts no known placeholder stays as written.
        let braces = BTreeMap::from([("more_in".to_string(), "{x} {category}} {".to_string())]);
        assert_eq!(
            Strings::new("en", &braces).fill("more_in", &[("category", "{category}")]),
            "{x} {category}} {"
        );
    }
}
