-- Approved transactions per day and category.
CREATE EXTERNAL TABLE IF NOT EXISTS card_analytics.daily_category_summary (
  txn_date          DATE   COMMENT 'calendar day',
  category          STRING COMMENT 'spending category',
  transaction_count BIGINT COMMENT 'approved transactions',
  unique_cards      BIGINT COMMENT 'distinct card numbers',
  total_amount      BIGINT COMMENT 'sum of amount (KRW)',
  avg_amount        DOUBLE COMMENT 'average amount (KRW)',
  max_amount        BIGINT COMMENT 'largest amount (KRW)',
  min_amount        BIGINT COMMENT 'smallest amount (KRW)'
)
STORED AS PARQUET
LOCATION 'daily_category_summary'
TBLPROPERTIES ('parquet.compress'='SNAPPY');
