//! Tests of `lexer`: well-formed operations come out with their operands, and on random
//! streams built from tricky tokens (odd numbers, escapes, nested parentheses, hex strings, `#`
//! in names, comments, NUL bytes, inline images, dictionaries) it never panics and always ends.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use crate::format_check::lexer::{Arg, Lexer, Operation};

const TOKENS: &[&str] = &[
    "12",
    "-3.5",
    ".5",
    "5.",
    "+7",
    "-.25",
    "1.2.3",
    "007",
    "-0",
    "+",
    "-",
    ".",
    "99999999999",
    "123456789012345678901234",
    "0.1234567891",
    "/F1",
    "/a#20b",
    "/#zz",
    "/",
    "/Im1",
    "(a)",
    "(a\\(b)",
    "(x\\053y)",
    "(n (p) q)",
    "(\\\n)",
    "(\\\r\nz)",
    "(\\q\\n\\t)",
    "(\r\n)",
    "(unclosed",
    "<41 42>",
    "<4>",
    "<zz>",
    "<>",
    "< 4 1\n>",
    "<<",
    "<</A 1>>",
    ">>",
    "[(a) -250 (b)]",
    "[1 0 R]",
    "[ ]",
    "[[1]]",
    "[/N 1.5]",
    "[true null]",
    "]",
    "{",
    "Tf",
    "TJ",
    "Tj",
    "T*",
    "'",
    "\"",
    "BT",
    "ET",
    "cm",
    "Td",
    "re",
    "f*",
    "BI",
    "BDC",
    "null",
    "true",
    "false",
    "nulls",
    " ",
    " ",
    " ",
    "\n",
    "\r\n",
    "\t",
    "\0",
    "\x0C",
    "%c\n",
    "%",
    "\u{e9}",
];

fn all_ops(data: &[u8]) -> Vec<(String, Vec<Arg>, Vec<u8>)> {
    let mut lexer = Lexer::new(data);
    let mut op = Operation::default();
    let mut out = Vec::new();
    while lexer.next_op(&mut op) {
        out.push((
            String::from_utf8_lossy(&op.operator).into_owned(),
            op.args.clone(),
            op.bytes.clone(),
        ));
        assert!(out.len() <= data.len() + 1, "the lexer must advance");
    }
    out
}

#[test]
fn operations_come_out_with_their_operands() {
    let ops = all_ops(b"BT /F1 9.96 Tf 1 0 0 1 72.5 -3 Tm [(Hel) -250 (lo)] TJ ET");
    let names: Vec<&str> = ops.iter().map(|o| o.0.as_str()).collect();
    assert_eq!(names, ["BT", "Tf", "Tm", "TJ", "ET"]);
    assert_eq!(ops[1].1[1], Arg::Num(9.96));
    assert_eq!(ops[2].1[4], Arg::Num(72.5));
    assert!(matches!(ops[3].1[0], Arg::Array(0, 3)));
}

#[test]
fn comments_inline_images_and_dictionaries_are_stepped_over() {
    let data =
        b"% a comment\nq BI /W 2 /H 2 /BPC 8 ID \x00EI\xffx EI Q /P <</MCID 3>> BDC (a) Tj EMC";
    let ops = all_ops(data);
    let names: Vec<&str> = ops.iter().map(|o| o.0.as_str()).collect();
    assert_eq!(names, ["q", "Q", "BDC", "Tj", "EMC"]);
    assert_eq!(ops[2].1, vec![Arg::Name(0, 1), Arg::Other]);
    assert_eq!(ops[3].2, b"a");
}

#[test]
fn malformed_numbers_keep_their_numeric_prefix() {
    let ops = all_ops(b"--5 1.2.3 cm");
    assert_eq!(ops[0].1, vec![Arg::Num(-5.0), Arg::Num(1.2)]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, .. ProptestConfig::default() })]
    #[test]
    fn random_streams_never_panic_and_always_end(
        picks in prop::collection::vec((0..TOKENS.len(), 0..4usize), 0..40)
    ) {
        let mut data = Vec::new();
        for (i, sep) in picks {
            data.extend_from_slice(TOKENS[i].as_bytes());
            data.extend_from_slice([&b" "[..], b"\n", b"", b"\t"][sep]);
        }
        all_ops(&data);
    }
}

proptest! {
    /// The fast path for plain numbers gives exactly what the general float parser gives.
    #[test]
    fn plain_numbers_parse_exactly_like_the_float_parser(
        sign in prop::sample::select(vec!["", "-", "+"]),
        int in "[0-9]{0,9}",
        frac in prop::option::of("[0-9]{0,7}"),
    ) {
        let word = format!("{sign}{int}{}", frac.as_ref().map(|f| format!(".{f}")).unwrap_or_default());
        if let Some(fast) = crate::format_check::lexer::plain_number(word.as_bytes()) {
            let general: f64 = word.parse().unwrap();
            prop_assert_eq!(fast.to_bits(), general.to_bits(), "{}", word);
        }
    }
}
