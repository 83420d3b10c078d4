package dev.nmcc.nmc.model;

/** A convolution or pooling window: kernel, stride and zero padding (top, left, bottom, right). */
public record Window(int kh, int kw, int sh, int sw, int padTop, int padLeft, int padBottom, int padRight) {}
