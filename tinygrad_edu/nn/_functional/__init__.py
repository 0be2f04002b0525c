"""The topic modules behind `tinygrad_edu.nn.functional` (which re-exports their public names).

conv           linear, conv1d, conv2d
pooling        max/avg pooling (1-d, 2-d) and adaptive pooling
activation     relu & co., softmax, log_softmax
dropout        dropout, dropout2d and the mask hook
normalization  batch_norm, layer_norm
sparse         embedding, one_hot, pad
loss           the losses
"""
