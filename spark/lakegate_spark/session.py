"""The Spark session every job uses, and the few filesystem operations the jobs need (local or s3a)."""
from __future__ import annotations

import os
from typing import Dict, Iterable, Optional

from pyspark import SparkConf
from pyspark.sql import SparkSession

# Settings every job relies on. A value given to spark-submit (--conf) wins over these.
_DEFAULTS: Dict[str, str] = {
    # The CSV holds local wall-clock times; with a UTC session nothing is shifted on the way through.
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    "spark.sql.parquet.compression.codec": "snappy",
    # Proleptic Gregorian calendar for every date, as DuckDB, Trino and Hive 3+ read them.
    "spark.sql.parquet.datetimeRebaseModeInWrite": "CORRECTED",
    "spark.sql.parquet.int96RebaseModeInWrite": "CORRECTED",
    # Table directories hold data files only (readers glob **/*.parquet; Hive and Athena skip _ files anyway).
    "spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs": "false",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
}

# For local masters: the data is small per core, and 200 shuffle partitions would be 200 tiny tasks.
_LOCAL_DEFAULTS: Dict[str, str] = {
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "4",
}


def spark_uri(path: str) -> str:
    """s3:// becomes s3a:// (Hadoop's S3 connector); local paths become absolute."""
    if path.startswith("s3://"):
        return "s3a://" + path[len("s3://"):]
    if "://" in path:
        return path
    return os.path.abspath(path)


def is_local(path: str) -> bool:
    return "://" not in path or path.startswith("file://")


def _s3a_settings(env: Dict[str, str]) -> Dict[str, str]:
    """hadoop-aws settings from the usual AWS variables (endpoint for moto/MinIO, region, static keys)."""
    conf: Dict[str, str] = {}
    endpoint = env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL")
    if endpoint:
        conf["spark.hadoop.fs.s3a.endpoint"] = endpoint
        conf["spark.hadoop.fs.s3a.path.style.access"] = "true"
        conf["spark.hadoop.fs.s3a.connection.ssl.enabled"] = str(endpoint.startswith("https")).lower()
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION")
    if region:
        conf["spark.hadoop.fs.s3a.endpoint.region"] = region
    key, secret, token = env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"), env.get("AWS_SESSION_TOKEN")
    if key and secret:
        conf["spark.hadoop.fs.s3a.access.key"] = key
        conf["spark.hadoop.fs.s3a.secret.key"] = secret
        if token:
            conf["spark.hadoop.fs.s3a.session.token"] = token
            conf["spark.hadoop.fs.s3a.aws.credentials.provider"] = "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider"
        else:
            conf["spark.hadoop.fs.s3a.aws.credentials.provider"] = "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"
    return conf


def create_session(app_name: str, paths: Iterable[str], env: Optional[Dict[str, str]] = None) -> SparkSession:
    env = dict(os.environ if env is None else env)
    conf = SparkConf()
    master = conf.get("spark.master", "local[2]")
    wanted = dict(_DEFAULTS)
    if master.startswith("local"):
        wanted.update(_LOCAL_DEFAULTS)
    if any(p.startswith(("s3://", "s3a://")) for p in paths):
        wanted.update(_s3a_settings(env))
    for k, v in wanted.items():
        if not conf.contains(k):
            conf.set(k, v)
    spark = SparkSession.builder.appName(app_name).master(master).config(conf=conf).getOrCreate()
    # No .crc side files next to local Parquet files (the local filesystem instance is shared by the writers).
    jvm = spark.sparkContext._jvm
    local_fs = jvm.org.apache.hadoop.fs.FileSystem.getLocal(spark.sparkContext._jsc.hadoopConfiguration())
    local_fs.setWriteChecksum(False)
    return spark


def _fs_path(spark: SparkSession, uri: str):
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    return path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), path


def read_text(spark: SparkSession, uri: str) -> str:
    """A small text file (DDL, domain JSON) from a local path or any Hadoop filesystem."""
    if is_local(uri):
        with open(uri.replace("file://", ""), encoding="utf-8") as f:
            return f.read()
    fs, path = _fs_path(spark, uri)
    stream = fs.open(path)
    try:
        return bytes(spark.sparkContext._jvm.org.apache.commons.io.IOUtils.toByteArray(stream)).decode("utf-8")
    finally:
        stream.close()


def exists(spark: SparkSession, uri: str) -> bool:
    fs, path = _fs_path(spark, uri)
    return bool(fs.exists(path))


def delete(spark: SparkSession, uri: str) -> None:
    fs, path = _fs_path(spark, uri)
    fs.delete(path, True)


def count_parquet_files(spark: SparkSession, uri: str) -> int:
    fs, path = _fs_path(spark, uri)
    if not fs.exists(path):
        return 0
    files = fs.listFiles(path, True)
    n = 0
    while files.hasNext():
        if files.next().getPath().getName().endswith(".parquet"):
            n += 1
    return n
