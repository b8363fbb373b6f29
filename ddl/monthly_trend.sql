-- Approved transactions per month with month-over-month growth.
CREATE EXTERNAL TABLE IF NOT EXISTS card_analytics.monthly_trend (
  txn_year          INT    COMMENT 'year',
  txn_month         INT    COMMENT 'month 1-12',
  transaction_count BIGINT COMMENT 'approved transactions',
  total_amount      BIGINT COMMENT 'sum of amount (KRW)',
  avg_amount        DOUBLE COMMENT 'average amount (KRW)',
  unique_cards      BIGINT COMMENT 'distinct card numbers',
  unique_merchants  BIGINT COMMENT 'distinct merchants',
  mom_growth_pct    DOUBLE COMMENT 'total_amount growth over the previous month, percent; NULL for the first month'
)
STORED AS PARQUET
LOCATION 'monthly_trend'
TBLPROPERTIES ('parquet.compress'='SNAPPY');
