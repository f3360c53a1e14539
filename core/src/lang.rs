//! The reader's language: Japanese first, English second. Every place that chooses between a
//! Japanese and an English text does it through [`Lang::pick`] (for literals and formatted text) or
//! the `label(lang)` method every closed vocabulary has ([`crate::vocab`]), so there is one way to
//! pick a language and no `if ja { … } else { … }` scattered through the renderers.

/// The language of a document, a table or a prompt. Japanese is the default: the contracts and the
/// law are Japanese, and the people who act on an incident read Japanese.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// 日本語 (`ja`).
    #[default]
    Ja,
    /// English (`en`).
    En,
}

impl Lang {
    /// Both languages, Japanese first.
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    /// `ja` or `en`; anything else is `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.key() == s)
    }

    /// The BCP 47 tag: `ja` or `en` (HTML `lang`, CLI `--lang`).
    pub fn key(self) -> &'static str {
        self.pick("ja", "en")
    }

    /// The one helper that chooses a language: `ja` for Japanese, `en` for English. Works for
    /// anything (`&str`, `String`, a closure's result), so a caller passes both texts side by side.
    pub fn pick<T>(self, ja: T, en: T) -> T {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }
}
