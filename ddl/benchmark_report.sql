-- One row per measured variant of the benchmark stage of the latest run.
CREATE EXTERNAL TABLE IF NOT EXISTS card_analytics.benchmark_report (
  run_id          STRING COMMENT 'pipeline run id',
  benchmark       STRING COMMENT 'comparison name, e.g. csv_vs_parquet',
  variant         STRING COMMENT 'variant within the comparison, e.g. csv, parquet',
  elapsed_ms      DOUBLE COMMENT 'wall time of the variant',
  rows_read       BIGINT COMMENT 'rows scanned or produced',
  output_files    BIGINT COMMENT 'files written, where the variant writes',
  improvement_pct DOUBLE COMMENT 'time saved against the first variant of the comparison, percent',
  detail          STRING COMMENT 'what the variant does'
)
STORED AS PARQUET
LOCATION 'benchmark_report'
TBLPROPERTIES ('parquet.compress'='SNAPPY');
