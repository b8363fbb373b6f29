-- Approved transactions per region and category; top_category is the region's largest category by amount.
CREATE EXTERNAL TABLE IF NOT EXISTS card_analytics.regional_analysis (
  region            STRING COMMENT 'region',
  category          STRING COMMENT 'spending category',
  transaction_count BIGINT COMMENT 'approved transactions',
  total_amount      BIGINT COMMENT 'sum of amount (KRW)',
  avg_amount        DOUBLE COMMENT 'average amount (KRW)',
  unique_cards      BIGINT COMMENT 'distinct card numbers',
  unique_merchants  BIGINT COMMENT 'distinct merchants',
  top_category      STRING COMMENT 'category with the largest total amount in the region',
  credit_ratio      DOUBLE COMMENT 'percent of approved transactions on credit cards'
)
STORED AS PARQUET
LOCATION 'regional_analysis'
TBLPROPERTIES ('parquet.compress'='SNAPPY');
