// Node runtime: storage, LucidLink, gateways and the balancing proxy.
