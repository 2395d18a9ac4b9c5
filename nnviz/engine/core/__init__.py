"""Network maths: activations, losses, the dense network, initialisers, batch normalisation, structural
edits and the names of a network's parts.
"""
