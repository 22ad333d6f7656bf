//! Demo content for cfp: the NeurIPS workshop "The Symbiosis of Deep Learning and Differential
//! Equations" with about 80 submissions, their authors, a chair and volunteer reviewers, and
//! real PDF papers in the NeurIPS layout for each submission.
//!
//! The content is pure and deterministic for a seed: nothing but `drive` touches the database
//! or the file system. `drive` is `cfp demo` itself: it feeds [`workshop`] and [`paper_pdf`]
//! through the site's own pages, stage after stage.

mod afm;
pub mod content;
pub mod discussion;
pub mod drive;
mod filler;
mod layout;
mod names;
pub mod pdf;
mod pdf_body;
mod pdf_file;
mod people;
mod phrases;
pub mod reviews;
mod rng;
mod translit;
pub mod variants;

pub use content::{
    DemoPerson, DemoSubmission, DemoTrack, DemoWorkshop, TOPICS, WORKSHOP_NAME, conference,
    workshop,
};
pub use pdf::paper_pdf;

/// The password of every demo account ("dlde-demo-2027"), shown on the login page of a demo
/// instance; never use demo mode on a public server.
pub fn demo_password() -> &'static str {
    "dlde-demo-2027"
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_password_is_long_enough() {
        assert!(super::demo_password().len() >= 10);
    }
}
