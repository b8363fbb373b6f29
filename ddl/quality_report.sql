-- One row per data-quality check of the latest run.
CREATE EXTERNAL TABLE IF NOT EXISTS card_analytics.quality_report (
  run_id      STRING    COMMENT 'pipeline run id',
  check_name  STRING    COMMENT 'check identifier, e.g. null_amount, duplicate_transaction_id',
  status      STRING    COMMENT 'PASS, WARN or FAIL',
  issue_count BIGINT    COMMENT 'rows (or groups) that failed the check',
  detail      STRING    COMMENT 'human-readable explanation',
  checked_at  TIMESTAMP COMMENT 'when the check ran (UTC)'
)
STORED AS PARQUET
LOCATION 'quality_report'
TBLPROPERTIES ('parquet.compress'='SNAPPY');
