"""The Neuron lab: MP unit, perceptron, sigmoid comparison and the function pages."""
