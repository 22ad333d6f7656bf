//! Property test of `lexer`: on random content streams built from tricky tokens (odd numbers,
//! escapes, nested parentheses, hex strings, `#` in names, comments, NUL bytes, inline images,
//! dictionaries), whenever our tokenizer accepts a stream, lopdf's `Content::decode` yields
//! exactly the same operations and operand values (as pdf-extract reads them).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pdf_extract::Object;
use pdf_extract::content::Content;
use proptest::prelude::*;

use crate::format_check::lexer::{Arg, Ops, tokenize};

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

const OPERATORS: &[&str] = &[
    "Tf", "TJ", "Tj", "T*", "'", "\"", "BT", "ET", "cm", "re", "f*", "q", "Q",
];

fn arg_of(ops: &Ops, arg: &Arg) -> String {
    match arg {
        Arg::Num(v) => format!("n{}", v.to_bits()),
        Arg::Name(s, e) => format!("/{:?}", ops.slice(*s, *e)),
        Arg::Str(s, e) => format!("s{:?}", ops.slice(*s, *e)),
        Arg::Array(s, e) => {
            let items: Vec<String> = ops
                .elements(*s, *e)
                .iter()
                .map(|a| arg_of(ops, a))
                .collect();
            format!("[{}]", items.join(","))
        }
        Arg::Other => "o".into(),
    }
}

fn object_of(object: &Object) -> String {
    match object {
        Object::Integer(i) => format!("n{}", (*i as f64).to_bits()),
        Object::Real(r) => format!("n{}", f64::from(*r).to_bits()),
        Object::Name(n) => format!("/{n:?}"),
        Object::String(s, _) => format!("s{s:?}"),
        Object::Array(items) => {
            let items: Vec<String> = items.iter().map(object_of).collect();
            format!("[{}]", items.join(","))
        }
        Object::Null | Object::Boolean(_) => "o".into(),
        other => format!("{other:?}"),
    }
}

proptest! {
    #[test]
    fn accepted_streams_tokenize_like_lopdf(
        picks in proptest::collection::vec(
            (proptest::collection::vec((0..TOKENS.len(), 0..4usize), 0..4), 0..OPERATORS.len(), 0..3usize),
            0..12,
        )
    ) {
        let mut text = String::new();
        for (operands, operator, sep) in picks {
            for (token, sep) in operands {
                text.push_str(TOKENS[token]);
                text.push_str([" ", "", "\n", " "][sep]);
            }
            text.push_str(OPERATORS[operator]);
            text.push_str([" ", "", "\n"][sep]);
        }
        let bytes = text.as_bytes();
        if let Some(ops) = tokenize(bytes) {
            let content = Content::decode(bytes).expect("lopdf must accept what we accept");
            let ours: Vec<String> = ops.ops.iter().map(|op| {
                let args: Vec<String> = ops.operands(op).iter().map(|a| arg_of(&ops, a)).collect();
                format!("{:?} {}", op.operator, args.join(" "))
            }).collect();
            let theirs: Vec<String> = content.operations.iter().map(|op| {
                let args: Vec<String> = op.operands.iter().map(object_of).collect();
                format!("{:?} {}", op.operator.as_bytes(), args.join(" "))
            }).collect();
            prop_assert_eq!(ours, theirs, "stream {:?}", text);
        }
    }
}
