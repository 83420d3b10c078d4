package dev.nmcc.backend.target;

import java.util.List;

/**
 * Published per-layer limits that constrain what can be mapped at all (before any splitting).
 * Square kernels only: a size k means k × k.
 *
 * @param inputBits             width in bits of the analog input the first layer receives
 * @param inputChannels         channel counts the input layer accepts (1: grey, 3: colour)
 * @param inputMaxWidth         widest input row, in pixels, the input layer accepts
 * @param inputConvKernelSizes  kernel sizes allowed for a convolution that reads the input
 * @param inputConvStrides      strides allowed for that input convolution
 * @param convKernelSizes       kernel sizes allowed for convolutions on spikes
 * @param convStrides           strides allowed for convolutions on spikes
 * @param maxPoolSizes          max-pooling window sizes allowed (after a convolution)
 */
public record LayerLimits(int inputBits, List<Integer> inputChannels, int inputMaxWidth, List<Integer> inputConvKernelSizes, List<Integer> inputConvStrides,
                          List<Integer> convKernelSizes, List<Integer> convStrides, List<Integer> maxPoolSizes) {
    public LayerLimits {
        Checks.positive("input_bits", inputBits);
        inputChannels = Checks.sortedSet("input_channels", inputChannels, null);
        Checks.positive("input_max_width", inputMaxWidth);
        inputConvKernelSizes = Checks.sortedSet("input_conv_kernel_sizes", inputConvKernelSizes, null);
        inputConvStrides = Checks.sortedSet("input_conv_strides", inputConvStrides, null);
        convKernelSizes = Checks.sortedSet("conv_kernel_sizes", convKernelSizes, null);
        convStrides = Checks.sortedSet("conv_strides", convStrides, null);
        maxPoolSizes = Checks.sortedSet("max_pool_sizes", maxPoolSizes, null);
    }

    /** Whether a k × k convolution with stride s on spikes (or on the input, when {@code onInput}) is allowed. */
    public boolean allowsConv(int kernel, int stride, boolean onInput) {
        return onInput ? inputConvKernelSizes.contains(kernel) && inputConvStrides.contains(stride)
                : convKernelSizes.contains(kernel) && convStrides.contains(stride);
    }
}
