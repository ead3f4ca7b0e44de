"""Head office on PostgreSQL: its schema (`lobby-tui hq init`), the branch's push (`lobby-tui sync`),
the check of every branch's audit chain (`hq verify`) and the figures over many branches (`hq summary`,
`hq trends`).

Nothing here imports Textual; psycopg is imported only by the commands that reach head office, so the
app's start-up never pays for it. Branch data is read through lobby_tui.store.
"""
