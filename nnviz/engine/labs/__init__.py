"""The labs' own maths: error surfaces and the optimiser race, universality, the neuron and perceptron,
convolution and the small CNN, generalisation, Keras code.
"""
