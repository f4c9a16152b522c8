//! The DICT reply parser on well-formed, random and mutated replies: it never panics,
//! and what it accepts is what the reply says. The fuzz target for the protocol should
//! call `qari::glossary::sources::dictproto::parse_reply` the same way.

use proptest::prelude::*;
use qari::glossary::sources::dictproto::{ReplyDefinition, parse_reply};

const GOOD: &str = "220 dictd 1.12 <auth.mime> <1.2@host>\r\n\
150 2 definitions retrieved\r\n\
151 \"كتاب\" freedict-ara-eng \"Arabic-English FreeDict Dictionary\"\r\n\
كتاب /kitāb/\r\n\
book\r\n\
..dotted line\r\n\
.\r\n\
151 \"كتاب\" other \"Another\"\r\n\
letter\r\n\
.\r\n\
250 ok\r\n\
552 no match\r\n\
221 bye\r\n";

fn words() -> Vec<String> {
    vec!["كتاب".to_string(), "قلم".to_string()]
}

#[test]
fn a_well_formed_reply() {
    let defs = parse_reply(GOOD.as_bytes(), &words(), "*").unwrap();
    assert_eq!(
        defs,
        [
            ReplyDefinition {
                query: 0,
                headword: "كتاب".into(),
                database: "freedict-ara-eng".into(),
                // The pronunciation on the headword line is kept.
                definition: "/kitāb/\nbook\n.dotted line".into(),
            },
            ReplyDefinition {
                query: 0,
                headword: "كتاب".into(),
                database: "other".into(),
                definition: "letter".into(),
            },
        ]
    );
}

#[test]
fn replies_that_break_the_protocol_are_errors() {
    for reply in [
        "",
        "500 go away\r\n",
        "220 hi\r\n",
        "220 hi\r\n151 \"w\" db \"d\"\r\ntext without its end\r\n",
        "220 hi\r\n420 server temporarily unavailable\r\n",
    ] {
        assert!(
            parse_reply(reply.as_bytes(), &words(), "*").is_err(),
            "{reply:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse_reply(&bytes, &words(), "*");
    }

    #[test]
    fn mutated_replies_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8)
    ) {
        let mut bytes = GOOD.as_bytes().to_vec();
        for (at, byte, how) in edits {
            if bytes.is_empty() {
                bytes.push(byte);
                continue;
            }
            let i = at.index(bytes.len());
            match how {
                0 => bytes[i] = byte,
                1 => { bytes.remove(i); }
                _ => bytes.insert(i, byte),
            }
        }
        if let Ok(defs) = parse_reply(&bytes, &words(), "*") {
            for d in defs {
                prop_assert!(d.query < 2);
            }
        }
    }
}
