//! Incremental work: a term bag saved as one run of bytes (12 per term: the id and the
//! weight, little-endian) instead of a list of numbers, which postcard writes one at a
//! time as varints; a run of bytes is copied whole, both ways.

use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serializer};
use serde_bytes::Bytes;

use crate::related::TermBag;

const TERM_BYTES: usize = 12;

pub(super) fn serialize<S: Serializer>(
    terms: &Option<Arc<TermBag>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match terms {
        None => serializer.serialize_none(),
        Some(bag) => {
            let mut bytes = Vec::with_capacity(bag.len() * TERM_BYTES);
            for (term, weight) in bag.iter() {
                bytes.extend_from_slice(&term.to_le_bytes());
                bytes.extend_from_slice(&weight.to_bits().to_le_bytes());
            }
            serializer.serialize_some(Bytes::new(&bytes))
        }
    }
}

/// Borrows the bytes from the cache file as it is decoded (postcard from a slice).
pub(super) fn deserialize<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Arc<TermBag>>, D::Error> {
    let Some(bytes) = Option::<&'de Bytes>::deserialize(deserializer)? else { return Ok(None) };
    if !bytes.len().is_multiple_of(TERM_BYTES) {
        return Err(serde::de::Error::custom("a term bag's length is not a whole number of terms"));
    }
    let term = |chunk: &[u8]| {
        let (id, weight) = chunk.split_at(8);
        let id = u64::from_le_bytes(id.try_into().unwrap_or_default());
        let weight = u32::from_le_bytes(weight.try_into().unwrap_or_default());
        (id, f32::from_bits(weight))
    };
    Ok(Some(Arc::new(bytes.chunks_exact(TERM_BYTES).map(term).collect())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Entry {
        #[serde(with = "super")]
        terms: Option<Arc<TermBag>>,
    }

    #[test]
    fn a_term_bag_comes_back_as_it_was_saved() {
        let bag = vec![(0, 0.0), (1, 1.5), (u64::MAX, f32::MAX), (0x0123_4567_89ab_cdef, -2.25)];
        for terms in [None, Some(Arc::new(Vec::new())), Some(Arc::new(bag))] {
            let entry = Entry { terms };
            let bytes = postcard::to_stdvec(&entry).unwrap();
            assert_eq!(postcard::from_bytes::<Entry>(&bytes).unwrap(), entry);
        }
    }

    #[test]
    fn a_cut_term_bag_is_an_error() {
        let entry = Entry { terms: Some(Arc::new(vec![(7, 1.0)])) };
        let mut bytes = postcard::to_stdvec(&entry).unwrap();
        // Option tag, length, then 12 bytes: drop the last byte and shorten the length.
        bytes.pop();
        bytes[1] -= 1;
        assert!(postcard::from_bytes::<Entry>(&bytes).is_err());
    }
}
