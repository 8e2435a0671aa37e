"""One ingestion layer for post-its and catalogues: read → map → check → store.

`reading` turns bytes into a table or a document within bounded work; `encoding` holds the one
rule for text; `mapping` matches headers to fields; `report` is the one preview and report;
`storing` inserts in bulk and returns ids; `uploads` keeps a parsed upload once, by token.
"""
