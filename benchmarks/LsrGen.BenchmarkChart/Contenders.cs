// What a user would call each benchmark method.
internal static class Contenders
{
    public static string Name(string method) => method switch
    {
        "Generated" => "LsrGen, K declared",
        "Generic" or "RuntimeGeneric" => "LsrGen, any K",
        "Routed" => "LsrKernels, K declared elsewhere",
        "TorchSharp" => "TorchSharp (libtorch 2.10)",
        "TensorPrimitivesRowWise" => "TensorPrimitives, row by row",
        "SeedPort" => "scalar loops",
        "ExpFloor" => "exp floor (Vector512.Exp)",
        "ReadFloor" => "read floor",
        "FloatSpan" => "float span",
        "FloatTensorDense" => "float tensor span",
        "FloatTensorPadded" => "float tensor span, padded rows",
        "Half" => "Half span",
        "CopyFloor" => "copy floor (the bytes Backward moves)",
        "BackwardSoftcap" => "Backward, soft-cap 30",
        "ForwardBackwardSoftcap" => "ForwardBackward, soft-cap 30",
        "ForwardBackwardZLoss" => "ForwardBackward, z-loss",
        "ForwardSoftcap" => "Forward, soft-cap 30",
        "ForwardPerRow" => "Forward, per row",
        "LsrKernelsPerRow" => "LsrKernels.CrossEntropy, per row",
        "GeneratedWithGradient" => "LsrGen, K declared, loss + gradient",
        "TorchSharpWithGradient" => "TorchSharp (libtorch 2.10), loss + gradient",
        _ => method,
    };
}
