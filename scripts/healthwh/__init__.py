"""Python side of the customer health warehouse: data generator and the CLI's steps."""
