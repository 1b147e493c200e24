"""Row 10: Spark in local mode on both cores; prints the seconds to read, add up and write.

Arguments: the records (Parquet) and the folder to write the boxes to.
"""

import os
import sys
import time

os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
from pyspark.sql import SparkSession  # after the address it binds to

spark = (
    SparkSession.builder.master("local[2]")
    .config("spark.driver.host", "127.0.0.1")
    .config("spark.driver.bindAddress", "127.0.0.1")
    .config("spark.driver.memory", "2g")
    .config("spark.sql.shuffle.partitions", "16")
    .config("spark.ui.enabled", "false")
    .config("spark.ui.showConsoleProgress", "false")
    .getOrCreate()
)
spark.sparkContext.setLogLevel("ERROR")
from xl_reit.spark import boxes  # noqa: E402

start = time.perf_counter()
boxes(spark.read.parquet(sys.argv[1]), ["account"], tax_year=2004).write.mode("overwrite").parquet(
    sys.argv[2]
)
print(time.perf_counter() - start)
spark.stop()
