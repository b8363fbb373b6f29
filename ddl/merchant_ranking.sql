-- Approved revenue per merchant, ranked (1 = largest revenue).
CREATE EXTERNAL TABLE IF NOT EXISTS card_analytics.merchant_ranking (
  merchant          STRING COMMENT 'merchant name',
  category          STRING COMMENT 'spending category',
  sub_category      STRING COMMENT 'merchant sub-category',
  transaction_count BIGINT COMMENT 'approved transactions',
  unique_customers  BIGINT COMMENT 'distinct card numbers',
  total_revenue     BIGINT COMMENT 'sum of amount (KRW)',
  avg_amount        DOUBLE COMMENT 'average amount (KRW)',
  revenue_rank      INT    COMMENT 'rank by total_revenue, ties share a rank'
)
STORED AS PARQUET
LOCATION 'merchant_ranking'
TBLPROPERTIES ('parquet.compress'='SNAPPY');
