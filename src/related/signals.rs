//! Stage 4 (related): how the signals of a candidate make its score. A list tells the
//! article's story first (the same distinctive words or rare tags, published close in time),
//! then the articles closest in subject (theme and words), best first in each part.

use std::cmp::Ordering;

use super::latent::{Embedding, DIMS};
use crate::config::RelatedConfig;
use crate::library::{ArticleId, Library};

/// What scoring reads of a candidate, in one cache line: its theme embedding (each
/// component in 1/127ths), its date and its category. A candidate then costs one memory
/// read, not five, which is most of the scoring time on a large library.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C, align(64))]
pub struct Profile {
    theme: [i8; DIMS],
    /// Publication time, Unix seconds.
    pub date: i64,
    /// Category index.
    pub category: u32,
}

impl Profile {
    /// The profile of an article with this (unit-length) theme embedding, date and category.
    pub fn new(embedding: &Embedding, date: i64, category: usize) -> Profile {
        let theme = embedding.map(|x| (x * 127.0).round().clamp(-127.0, 127.0) as i8);
        Profile { theme, date, category: category as u32 }
    }

    /// The cosine of two themes, 0..1 (an opposite theme is no evidence).
    pub fn theme_similarity(&self, other: &Profile) -> f32 {
        let dot: i32 = self.theme.iter().zip(&other.theme).map(|(&a, &b)| i32::from(a) * i32::from(b)).sum();
        (dot as f32 / (127.0 * 127.0)).clamp(0.0, 1.0)
    }
}

/// Each signal of a candidate, before weights, all 0..1.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Signals {
    /// Story words: the cosine of BM25 vectors of the articles' distinctive terms (names and
    /// rare words; words in more than 5% of the library left out).
    pub text: f32,
    /// Shared tags by rarity: the sum of idf / ln N over shared tags, at most 1.
    pub tags: f32,
    /// Topic words: the cosine of TF-IDF vectors over the whole vocabulary, common words of a
    /// subject included ("shares", "crude").
    pub words: f32,
    /// Theme: the cosine of the articles' places in the topic space learnt from the site
    /// (latent semantic analysis), which links stories that put one subject in other words.
    pub latent: f32,
    /// 1 when both articles are in the same category.
    pub category: f32,
    /// Closeness in time: 0.5 ^ (days apart / half-life).
    pub date: f32,
}

impl Signals {
    /// The story score: story words and rare tags, discounted by the time between the two
    /// articles (`date_weight` of 1 discounts fully, 0 not at all).
    pub fn story_score(&self, c: &RelatedConfig) -> f32 {
        let evidence = c.text_weight as f32 * self.text + c.tag_weight as f32 * self.tags;
        let closeness = 1.0 - c.date_weight as f32 + c.date_weight as f32 * self.date;
        evidence * closeness
    }

    /// The topic score: theme and topic words, raised a little for the same category.
    /// (Tags count towards the story: tags are often places or kinds of article, which say
    /// little about the subject.)
    pub fn topic_score(&self, c: &RelatedConfig) -> f32 {
        let evidence = c.latent_weight as f32 * self.latent + c.words_weight as f32 * self.words;
        evidence * (1.0 + c.category_weight as f32 * self.category)
    }
}

/// A scored candidate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Match {
    /// The candidate article.
    pub id: ArticleId,
    /// The signals before weighting.
    pub signals: Signals,
    /// True when the story score reaches `min_score`: the same story.
    pub story: bool,
    /// The story score for a story match, else the topic score.
    pub score: f32,
}

impl Match {
    /// Scores a candidate from its signals.
    pub fn new(id: ArticleId, signals: Signals, c: &RelatedConfig) -> Match {
        let story_score = signals.story_score(c);
        let story = story_score > 0.0 && story_score >= c.min_score as f32;
        let score = if story { story_score } else { signals.topic_score(c) };
        Match { id, signals, story, score }
    }
}

/// Story matches first; then best first; ties by newer date, then by URL.
pub fn rank(library: &Library, a: &Match, b: &Match) -> Ordering {
    b.story.cmp(&a.story).then_with(|| b.score.total_cmp(&a.score)).then_with(|| {
        let (ea, eb) = (library.get(a.id), library.get(b.id));
        eb.article.date.cmp(&ea.article.date).then_with(|| ea.path.cmp(&eb.path))
    })
}
