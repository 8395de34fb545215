//! Reader for the reference MAESTRO's .m mapping, model and hardware files: lexer, parser with spans, resolve, lower to the IR, validate, miette diagnostics.
