-- The bids get a data version of their own (db::data_version::BIDS): during bidding every bid
-- used to bump 'pool' and make each process read the whole pool again; now it reads only the
-- bids. The triggers are created from Rust after the migrations (db::data_version::install),
-- which also drops the bids' old 'pool' triggers.
INSERT INTO data_versions (name, version) VALUES ('bids', 0);
