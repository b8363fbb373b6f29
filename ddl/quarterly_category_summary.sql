-- Approved transactions per quarter and category with quarter-over-quarter growth.
CREATE EXTERNAL TABLE IF NOT EXISTS card_analytics.quarterly_category_summary (
  quarter           STRING COMMENT 'Q1..Q4',
  category          STRING COMMENT 'spending category',
  transaction_count BIGINT COMMENT 'approved transactions',
  total_amount      BIGINT COMMENT 'sum of amount (KRW)',
  avg_amount        DOUBLE COMMENT 'average amount (KRW)',
  unique_cards      BIGINT COMMENT 'distinct card numbers',
  qoq_growth_pct    DOUBLE COMMENT 'total_amount growth over the previous quarter for the category, percent; NULL for Q1'
)
PARTITIONED BY (txn_year INT COMMENT 'target year of the quarterly batch (one partition per year)')
STORED AS PARQUET
LOCATION 'quarterly_category_summary'
TBLPROPERTIES ('parquet.compress'='SNAPPY');
