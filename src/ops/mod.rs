//! Operating a running installation: consistent backups and their restore (`backup`), and the
//! sweeper that removes what interrupted uploads leave in the file store (`gc`), and what
//! `/api/health` reports (`health`). The command
//! line (`cfp backup`, `cfp restore`, `cfp storage gc`) and the worker call these; nothing
//! here serves HTTP.

pub mod backup;
pub mod gc;
pub mod health;
