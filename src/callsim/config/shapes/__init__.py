"""What a configuration object does beyond holding its fields, in modules that never import pydantic.

Each file-format model (callsim.config.*) inherits its shape from here, and so does the plain object the
engine runs on (callsim.config.plain): one definition of `Turn.kind`, `HttpRoute.url` or an action's
fallbacks serves both, whether or not pydantic is loaded.
"""
