"""Training: (stochastic) gradient descent, the fast trainer that is tested equal to it, optimisers,
schedules, the time budget and what live training monitors.
"""
