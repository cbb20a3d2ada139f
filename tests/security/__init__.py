"""Security suite: header crawl, access matrix, fuzzers, socket session enforcement."""
