DELETE FROM data_versions WHERE name = 'bids';
