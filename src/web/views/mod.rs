//! View models that pages of more than one audience render, so that no handler imports
//! another audience's handler file: a review as others see it (`reviews`), the chairs' reviews
//! panel on a paper's page (`paper_reviews`) and an author's released decision (`released`).

pub mod audit;
pub mod discussion;
pub mod format_report;
pub mod paging;
pub mod paper_reviews;
pub mod released;
pub mod reviews;
