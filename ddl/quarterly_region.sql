-- Approved transactions per quarter and region.
CREATE EXTERNAL TABLE IF NOT EXISTS card_analytics.quarterly_region (
  quarter           STRING COMMENT 'Q1..Q4',
  region            STRING COMMENT 'region',
  transaction_count BIGINT COMMENT 'approved transactions',
  total_amount      BIGINT COMMENT 'sum of amount (KRW)',
  avg_amount        DOUBLE COMMENT 'average amount (KRW)',
  unique_cards      BIGINT COMMENT 'distinct card numbers'
)
PARTITIONED BY (txn_year INT COMMENT 'target year of the quarterly batch (one partition per year)')
STORED AS PARQUET
LOCATION 'quarterly_region'
TBLPROPERTIES ('parquet.compress'='SNAPPY');
