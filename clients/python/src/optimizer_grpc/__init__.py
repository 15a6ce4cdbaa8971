"""Python client of the OptimizerGrpc server."""
