error[unsupported-operator]: this SQL dialect has no 'cidr'
