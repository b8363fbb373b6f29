"""Table schemas from ddl/<table>.sql (Hive CREATE TABLE), the one definition the gateway also reads.

Only what ddl/ uses is accepted: primitive column types, COMMENTs, PARTITIONED BY, and the clauses
after it (STORED AS, LOCATION, TBLPROPERTIES), which are skipped. Anything else is an error, so a
schema can never be guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

from pyspark.sql import types as T

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<line_comment>--[^\n]*)
  | (?P<block_comment>/\*.*?\*/)
  | (?P<string>'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*")
  | (?P<quoted>`(?:[^`]|``)*`)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>[0-9]+)
  | (?P<punct>[(),.;<>=:])
    """,
    re.VERBOSE | re.DOTALL,
)

_SIMPLE_TYPES = {
    "STRING": T.StringType(),
    "VARCHAR": T.StringType(),
    "CHAR": T.StringType(),
    "TINYINT": T.ByteType(),
    "SMALLINT": T.ShortType(),
    "INT": T.IntegerType(),
    "INTEGER": T.IntegerType(),
    "BIGINT": T.LongType(),
    "FLOAT": T.FloatType(),
    "DOUBLE": T.DoubleType(),
    "BOOLEAN": T.BooleanType(),
    "DATE": T.DateType(),
    # Hive TIMESTAMP is a wall-clock time without zone: Parquet INT64 TIMESTAMP(MICROS, isAdjustedToUTC=false).
    "TIMESTAMP": T.TimestampNTZType(),
    "BINARY": T.BinaryType(),
}


class DdlError(ValueError):
    pass


@dataclass(frozen=True)
class Column:
    name: str
    hive_type: str
    spark_type: T.DataType


@dataclass(frozen=True)
class TableSchema:
    name: str
    columns: Tuple[Column, ...]
    partition_keys: Tuple[Column, ...]

    @property
    def all_columns(self) -> Tuple[Column, ...]:
        """Data columns, then partition keys: the order of a conforming SELECT."""
        return self.columns + self.partition_keys

    def struct(self) -> T.StructType:
        return T.StructType([T.StructField(c.name, c.spark_type, True) for c in self.all_columns])


def spark_type(hive_type: str) -> T.DataType:
    t = hive_type.upper()
    if t in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[t]
    m = re.fullmatch(r"DECIMAL\((\d+),(\d+)\)", t)
    if m:
        return T.DecimalType(int(m.group(1)), int(m.group(2)))
    if re.fullmatch(r"(VAR)?CHAR\(\d+\)", t):
        return T.StringType()
    raise DdlError(f"unsupported Hive type {hive_type}")


def _tokens(text: str) -> List[Tuple[str, str]]:
    out: List[Tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise DdlError(f"unexpected character {text[pos]!r} at offset {pos}")
        kind = m.lastgroup or ""
        if kind not in ("space", "line_comment", "block_comment"):
            value = m.group()
            if kind == "quoted":
                value = value[1:-1].replace("``", "`")
                kind = "word"
            out.append((kind, value))
        pos = m.end()
    return out


class _Reader:
    def __init__(self, tokens: List[Tuple[str, str]]):
        self.tokens = tokens
        self.i = 0

    def peek(self) -> Tuple[str, str]:
        return self.tokens[self.i] if self.i < len(self.tokens) else ("eof", "")

    def next(self) -> Tuple[str, str]:
        tok = self.peek()
        self.i += 1
        return tok

    def keyword(self, *words: str) -> bool:
        for k, w in enumerate(words):
            tok = self.tokens[self.i + k] if self.i + k < len(self.tokens) else ("eof", "")
            if tok[0] != "word" or tok[1].upper() != w:
                return False
        self.i += len(words)
        return True

    def expect(self, kind: str, value: Optional[str] = None) -> str:
        tok = self.next()
        if tok[0] != kind or (value is not None and tok[1].upper() != value):
            raise DdlError(f"expected {value or kind} but found {tok[1] or 'end of input'!r}")
        return tok[1]


def _column_list(r: _Reader) -> Tuple[Column, ...]:
    r.expect("punct", "(")
    cols: List[Column] = []
    while True:
        name = r.expect("word")
        type_text = r.expect("word").upper()
        if r.peek() == ("punct", "("):
            r.next()
            args = [r.expect("number")]
            while r.peek() == ("punct", ","):
                r.next()
                args.append(r.expect("number"))
            r.expect("punct", ")")
            type_text += f"({','.join(args)})"
        elif r.peek() == ("punct", "<"):
            raise DdlError(f"complex type of column {name} is not supported")
        if r.keyword("COMMENT"):
            r.expect("string")
        cols.append(Column(name, type_text, spark_type(type_text)))
        if r.peek() == ("punct", ","):
            r.next()
            continue
        r.expect("punct", ")")
        return tuple(cols)


def parse_ddl(text: str) -> TableSchema:
    """Parses one `CREATE [EXTERNAL] TABLE [IF NOT EXISTS] [db.]name (...) [PARTITIONED BY (...)] ...`."""
    r = _Reader(_tokens(text))
    r.expect("word", "CREATE")
    r.keyword("EXTERNAL")
    r.expect("word", "TABLE")
    r.keyword("IF", "NOT", "EXISTS")
    name = r.expect("word")
    if r.peek() == ("punct", "."):
        r.next()
        name = r.expect("word")
    columns = _column_list(r)
    partition_keys: Tuple[Column, ...] = ()
    while r.peek()[0] != "eof":
        if r.keyword("PARTITIONED", "BY"):
            partition_keys = _column_list(r)
        else:
            r.next()
    return TableSchema(name, columns, partition_keys)
