"""The field-service system's database (SQLite or PostgreSQL): the only code that speaks SQL.

`db` makes engines and sessions and runs the migrations, `models` maps the tables,
`queries` holds the functions tasks call (they take a Session and never commit), `demo`
seeds a small electrician business and `generator` large synthetic data sets.
"""
