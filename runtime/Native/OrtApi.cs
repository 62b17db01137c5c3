// The OrtApi function table of ONNX Runtime's C API (include/onnxruntime/core/session/onnxruntime_c_api.h), mirrored
// slot by slot from the first entry up to the last one VaeOnnx calls (ReleaseCUDAProviderOptions, slot 208).
// The order is the contract: the C API only ever appends, so this prefix is identical in every release from 1.11 on
// (checked against the 1.29 header, ORT_API_VERSION 29, whose first 209 slots are those of 1.30). Entries VaeOnnx does
// not call are void* placeholders that keep their slot; the numbers in the comments are the slot indices.
// It deliberately does nothing else: no calls, no error handling (see OrtNative), no ownership (see OrtHandles).
// Opaque C objects (OrtEnv*, OrtSession*, OrtStatus*, ...) are nint; a returned nint is an OrtStatus*, null on success.
using System.Runtime.InteropServices;

namespace VaeOnnx.Runtime.Native;

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct OrtApi
{
    public void* CreateStatus; // 0
    // 1: OrtErrorCode GetErrorCode(const OrtStatus* status)
    public delegate* unmanaged[Cdecl]<nint, OrtErrorCode> GetErrorCode;
    // 2: const char* GetErrorMessage(const OrtStatus* status)
    public delegate* unmanaged[Cdecl]<nint, byte*> GetErrorMessage;
    // 3: OrtStatus* CreateEnv(OrtLoggingLevel log_severity_level, const char* logid, OrtEnv** out)
    public delegate* unmanaged[Cdecl]<int, byte*, nint*, nint> CreateEnv;
    public void* CreateEnvWithCustomLogger; // 4
    public void* EnableTelemetryEvents; // 5
    public void* DisableTelemetryEvents; // 6
    // 7: OrtStatus* CreateSession(const OrtEnv* env, const ORTCHAR_T* model_path, const OrtSessionOptions* options, OrtSession** out)
    public delegate* unmanaged[Cdecl]<nint, byte*, nint, nint*, nint> CreateSession;
    public void* CreateSessionFromArray; // 8
    // 9: OrtStatus* Run(OrtSession* session, const OrtRunOptions* run_options, const char* const* input_names, const OrtValue* const* inputs, size_t input_len, const char* const* output_names, size_t output_names_len, OrtValue** outputs)
    public delegate* unmanaged[Cdecl]<nint, nint, byte**, nint*, nuint, byte**, nuint, nint*, nint> Run;
    // 10: OrtStatus* CreateSessionOptions(OrtSessionOptions** options)
    public delegate* unmanaged[Cdecl]<nint*, nint> CreateSessionOptions;
    public void* SetOptimizedModelFilePath; // 11
    public void* CloneSessionOptions; // 12
    public void* SetSessionExecutionMode; // 13
    public void* EnableProfiling; // 14
    public void* DisableProfiling; // 15
    public void* EnableMemPattern; // 16
    public void* DisableMemPattern; // 17
    public void* EnableCpuMemArena; // 18
    public void* DisableCpuMemArena; // 19
    public void* SetSessionLogId; // 20
    public void* SetSessionLogVerbosityLevel; // 21
    public void* SetSessionLogSeverityLevel; // 22
    // 23: OrtStatus* SetSessionGraphOptimizationLevel(OrtSessionOptions* options, GraphOptimizationLevel graph_optimization_level)
    public delegate* unmanaged[Cdecl]<nint, int, nint> SetSessionGraphOptimizationLevel;
    // 24: OrtStatus* SetIntraOpNumThreads(OrtSessionOptions* options, int intra_op_num_threads)
    public delegate* unmanaged[Cdecl]<nint, int, nint> SetIntraOpNumThreads;
    public void* SetInterOpNumThreads; // 25
    public void* CreateCustomOpDomain; // 26
    public void* CustomOpDomain_Add; // 27
    public void* AddCustomOpDomain; // 28
    public void* RegisterCustomOpsLibrary; // 29
    // 30: OrtStatus* SessionGetInputCount(const OrtSession* session, size_t* out)
    public delegate* unmanaged[Cdecl]<nint, nuint*, nint> SessionGetInputCount;
    // 31: OrtStatus* SessionGetOutputCount(const OrtSession* session, size_t* out)
    public delegate* unmanaged[Cdecl]<nint, nuint*, nint> SessionGetOutputCount;
    public void* SessionGetOverridableInitializerCount; // 32
    // 33: OrtStatus* SessionGetInputTypeInfo(const OrtSession* session, size_t index, OrtTypeInfo** type_info)
    public delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint> SessionGetInputTypeInfo;
    // 34: OrtStatus* SessionGetOutputTypeInfo(const OrtSession* session, size_t index, OrtTypeInfo** type_info)
    public delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint> SessionGetOutputTypeInfo;
    public void* SessionGetOverridableInitializerTypeInfo; // 35
    // 36: OrtStatus* SessionGetInputName(const OrtSession* session, size_t index, OrtAllocator* allocator, char** value)
    public delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint> SessionGetInputName;
    // 37: OrtStatus* SessionGetOutputName(const OrtSession* session, size_t index, OrtAllocator* allocator, char** value)
    public delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint> SessionGetOutputName;
    public void* SessionGetOverridableInitializerName; // 38
    public void* CreateRunOptions; // 39
    public void* RunOptionsSetRunLogVerbosityLevel; // 40
    public void* RunOptionsSetRunLogSeverityLevel; // 41
    public void* RunOptionsSetRunTag; // 42
    public void* RunOptionsGetRunLogVerbosityLevel; // 43
    public void* RunOptionsGetRunLogSeverityLevel; // 44
    public void* RunOptionsGetRunTag; // 45
    public void* RunOptionsSetTerminate; // 46
    public void* RunOptionsUnsetTerminate; // 47
    public void* CreateTensorAsOrtValue; // 48
    // 49: OrtStatus* CreateTensorWithDataAsOrtValue(const OrtMemoryInfo* info, void* p_data, size_t p_data_len, const int64_t* shape, size_t shape_len, ONNXTensorElementDataType type, OrtValue** out)
    public delegate* unmanaged[Cdecl]<nint, void*, nuint, long*, nuint, TensorElementType, nint*, nint> CreateTensorWithDataAsOrtValue;
    public void* IsTensor; // 50
    // 51: OrtStatus* GetTensorMutableData(OrtValue* value, void** out)
    public delegate* unmanaged[Cdecl]<nint, void**, nint> GetTensorMutableData;
    public void* FillStringTensor; // 52
    public void* GetStringTensorDataLength; // 53
    public void* GetStringTensorContent; // 54
    // 55: OrtStatus* CastTypeInfoToTensorInfo(const OrtTypeInfo* type_info, const OrtTensorTypeAndShapeInfo** out)
    public delegate* unmanaged[Cdecl]<nint, nint*, nint> CastTypeInfoToTensorInfo;
    // 56: OrtStatus* GetOnnxTypeFromTypeInfo(const OrtTypeInfo* type_info, ONNXType* out)
    public delegate* unmanaged[Cdecl]<nint, int*, nint> GetOnnxTypeFromTypeInfo;
    public void* CreateTensorTypeAndShapeInfo; // 57
    public void* SetTensorElementType; // 58
    public void* SetDimensions; // 59
    // 60: OrtStatus* GetTensorElementType(const OrtTensorTypeAndShapeInfo* info, ONNXTensorElementDataType* out)
    public delegate* unmanaged[Cdecl]<nint, TensorElementType*, nint> GetTensorElementType;
    // 61: OrtStatus* GetDimensionsCount(const OrtTensorTypeAndShapeInfo* info, size_t* out)
    public delegate* unmanaged[Cdecl]<nint, nuint*, nint> GetDimensionsCount;
    // 62: OrtStatus* GetDimensions(const OrtTensorTypeAndShapeInfo* info, int64_t* dim_values, size_t dim_values_length)
    public delegate* unmanaged[Cdecl]<nint, long*, nuint, nint> GetDimensions;
    public void* GetSymbolicDimensions; // 63
    public void* GetTensorShapeElementCount; // 64
    // 65: OrtStatus* GetTensorTypeAndShape(const OrtValue* value, OrtTensorTypeAndShapeInfo** out)
    public delegate* unmanaged[Cdecl]<nint, nint*, nint> GetTensorTypeAndShape;
    public void* GetTypeInfo; // 66
    public void* GetValueType; // 67
    public void* CreateMemoryInfo; // 68
    // 69: OrtStatus* CreateCpuMemoryInfo(OrtAllocatorType type, OrtMemType mem_type, OrtMemoryInfo** out)
    public delegate* unmanaged[Cdecl]<int, int, nint*, nint> CreateCpuMemoryInfo;
    public void* CompareMemoryInfo; // 70
    public void* MemoryInfoGetName; // 71
    public void* MemoryInfoGetId; // 72
    public void* MemoryInfoGetMemType; // 73
    public void* MemoryInfoGetType; // 74
    public void* AllocatorAlloc; // 75
    // 76: OrtStatus* AllocatorFree(OrtAllocator* ort_allocator, void* p)
    public delegate* unmanaged[Cdecl]<nint, void*, nint> AllocatorFree;
    public void* AllocatorGetInfo; // 77
    // 78: OrtStatus* GetAllocatorWithDefaultOptions(OrtAllocator** out)
    public delegate* unmanaged[Cdecl]<nint*, nint> GetAllocatorWithDefaultOptions;
    public void* AddFreeDimensionOverride; // 79
    public void* GetValue; // 80
    public void* GetValueCount; // 81
    public void* CreateValue; // 82
    public void* CreateOpaqueValue; // 83
    public void* GetOpaqueValue; // 84
    public void* KernelInfoGetAttribute_float; // 85
    public void* KernelInfoGetAttribute_int64; // 86
    public void* KernelInfoGetAttribute_string; // 87
    public void* KernelContext_GetInputCount; // 88
    public void* KernelContext_GetOutputCount; // 89
    public void* KernelContext_GetInput; // 90
    public void* KernelContext_GetOutput; // 91
    // 92: void ReleaseEnv(OrtEnv* input)
    public delegate* unmanaged[Cdecl]<nint, void> ReleaseEnv;
    // 93: void ReleaseStatus(OrtStatus* input)
    public delegate* unmanaged[Cdecl]<nint, void> ReleaseStatus;
    // 94: void ReleaseMemoryInfo(OrtMemoryInfo* input)
    public delegate* unmanaged[Cdecl]<nint, void> ReleaseMemoryInfo;
    // 95: void ReleaseSession(OrtSession* input)
    public delegate* unmanaged[Cdecl]<nint, void> ReleaseSession;
    // 96: void ReleaseValue(OrtValue* input)
    public delegate* unmanaged[Cdecl]<nint, void> ReleaseValue;
    public void* ReleaseRunOptions; // 97
    // 98: void ReleaseTypeInfo(OrtTypeInfo* input)
    public delegate* unmanaged[Cdecl]<nint, void> ReleaseTypeInfo;
    // 99: void ReleaseTensorTypeAndShapeInfo(OrtTensorTypeAndShapeInfo* input)
    public delegate* unmanaged[Cdecl]<nint, void> ReleaseTensorTypeAndShapeInfo;
    // 100: void ReleaseSessionOptions(OrtSessionOptions* input)
    public delegate* unmanaged[Cdecl]<nint, void> ReleaseSessionOptions;
    public void* ReleaseCustomOpDomain; // 101
    public void* GetDenotationFromTypeInfo; // 102
    public void* CastTypeInfoToMapTypeInfo; // 103
    public void* CastTypeInfoToSequenceTypeInfo; // 104
    public void* GetMapKeyType; // 105
    public void* GetMapValueType; // 106
    public void* GetSequenceElementType; // 107
    public void* ReleaseMapTypeInfo; // 108
    public void* ReleaseSequenceTypeInfo; // 109
    public void* SessionEndProfiling; // 110
    // 111: OrtStatus* SessionGetModelMetadata(const OrtSession* session, OrtModelMetadata** out)
    public delegate* unmanaged[Cdecl]<nint, nint*, nint> SessionGetModelMetadata;
    // 112: OrtStatus* ModelMetadataGetProducerName(const OrtModelMetadata* model_metadata, OrtAllocator* allocator, char** value)
    public delegate* unmanaged[Cdecl]<nint, nint, byte**, nint> ModelMetadataGetProducerName;
    public void* ModelMetadataGetGraphName; // 113
    public void* ModelMetadataGetDomain; // 114
    public void* ModelMetadataGetDescription; // 115
    // 116: OrtStatus* ModelMetadataLookupCustomMetadataMap(const OrtModelMetadata* model_metadata, OrtAllocator* allocator, const char* key, char** value)
    public delegate* unmanaged[Cdecl]<nint, nint, byte*, byte**, nint> ModelMetadataLookupCustomMetadataMap;
    public void* ModelMetadataGetVersion; // 117
    // 118: void ReleaseModelMetadata(OrtModelMetadata* input)
    public delegate* unmanaged[Cdecl]<nint, void> ReleaseModelMetadata;
    public void* CreateEnvWithGlobalThreadPools; // 119
    public void* DisablePerSessionThreads; // 120
    public void* CreateThreadingOptions; // 121
    public void* ReleaseThreadingOptions; // 122
    // 123: OrtStatus* ModelMetadataGetCustomMetadataMapKeys(const OrtModelMetadata* model_metadata, OrtAllocator* allocator, char*** keys, int64_t* num_keys)
    public delegate* unmanaged[Cdecl]<nint, nint, byte***, long*, nint> ModelMetadataGetCustomMetadataMapKeys;
    public void* AddFreeDimensionOverrideByName; // 124
    // 125: OrtStatus* GetAvailableProviders(char*** out_ptr, int* provider_length)
    public delegate* unmanaged[Cdecl]<byte***, int*, nint> GetAvailableProviders;
    // 126: OrtStatus* ReleaseAvailableProviders(char** ptr, int providers_length)
    public delegate* unmanaged[Cdecl]<byte**, int, nint> ReleaseAvailableProviders;
    public void* GetStringTensorElementLength; // 127
    public void* GetStringTensorElement; // 128
    public void* FillStringTensorElement; // 129
    public void* AddSessionConfigEntry; // 130
    public void* CreateAllocator; // 131
    public void* ReleaseAllocator; // 132
    public void* RunWithBinding; // 133
    public void* CreateIoBinding; // 134
    public void* ReleaseIoBinding; // 135
    public void* BindInput; // 136
    public void* BindOutput; // 137
    public void* BindOutputToDevice; // 138
    public void* GetBoundOutputNames; // 139
    public void* GetBoundOutputValues; // 140
    public void* ClearBoundInputs; // 141
    public void* ClearBoundOutputs; // 142
    public void* TensorAt; // 143
    public void* CreateAndRegisterAllocator; // 144
    public void* SetLanguageProjection; // 145
    public void* SessionGetProfilingStartTimeNs; // 146
    public void* SetGlobalIntraOpNumThreads; // 147
    public void* SetGlobalInterOpNumThreads; // 148
    public void* SetGlobalSpinControl; // 149
    public void* AddInitializer; // 150
    public void* CreateEnvWithCustomLoggerAndGlobalThreadPools; // 151
    public void* SessionOptionsAppendExecutionProvider_CUDA; // 152
    public void* SessionOptionsAppendExecutionProvider_ROCM; // 153
    public void* SessionOptionsAppendExecutionProvider_OpenVINO; // 154
    public void* SetGlobalDenormalAsZero; // 155
    public void* CreateArenaCfg; // 156
    public void* ReleaseArenaCfg; // 157
    public void* ModelMetadataGetGraphDescription; // 158
    public void* SessionOptionsAppendExecutionProvider_TensorRT; // 159
    public void* SetCurrentGpuDeviceId; // 160
    public void* GetCurrentGpuDeviceId; // 161
    public void* KernelInfoGetAttributeArray_float; // 162
    public void* KernelInfoGetAttributeArray_int64; // 163
    public void* CreateArenaCfgV2; // 164
    public void* AddRunConfigEntry; // 165
    public void* CreatePrepackedWeightsContainer; // 166
    public void* ReleasePrepackedWeightsContainer; // 167
    public void* CreateSessionWithPrepackedWeightsContainer; // 168
    public void* CreateSessionFromArrayWithPrepackedWeightsContainer; // 169
    public void* SessionOptionsAppendExecutionProvider_TensorRT_V2; // 170
    public void* CreateTensorRTProviderOptions; // 171
    public void* UpdateTensorRTProviderOptions; // 172
    public void* GetTensorRTProviderOptionsAsString; // 173
    public void* ReleaseTensorRTProviderOptions; // 174
    public void* EnableOrtCustomOps; // 175
    public void* RegisterAllocator; // 176
    public void* UnregisterAllocator; // 177
    public void* IsSparseTensor; // 178
    public void* CreateSparseTensorAsOrtValue; // 179
    public void* FillSparseTensorCoo; // 180
    public void* FillSparseTensorCsr; // 181
    public void* FillSparseTensorBlockSparse; // 182
    public void* CreateSparseTensorWithValuesAsOrtValue; // 183
    public void* UseCooIndices; // 184
    public void* UseCsrIndices; // 185
    public void* UseBlockSparseIndices; // 186
    public void* GetSparseTensorFormat; // 187
    public void* GetSparseTensorValuesTypeAndShape; // 188
    public void* GetSparseTensorValues; // 189
    public void* GetSparseTensorIndicesTypeShape; // 190
    public void* GetSparseTensorIndices; // 191
    public void* HasValue; // 192
    public void* KernelContext_GetGPUComputeStream; // 193
    public void* GetTensorMemoryInfo; // 194
    public void* GetExecutionProviderApi; // 195
    public void* SessionOptionsSetCustomCreateThreadFn; // 196
    public void* SessionOptionsSetCustomThreadCreationOptions; // 197
    public void* SessionOptionsSetCustomJoinThreadFn; // 198
    public void* SetGlobalCustomCreateThreadFn; // 199
    public void* SetGlobalCustomThreadCreationOptions; // 200
    public void* SetGlobalCustomJoinThreadFn; // 201
    public void* SynchronizeBoundInputs; // 202
    public void* SynchronizeBoundOutputs; // 203
    // 204: OrtStatus* SessionOptionsAppendExecutionProvider_CUDA_V2(OrtSessionOptions* options, const OrtCUDAProviderOptionsV2* cuda_options)
    public delegate* unmanaged[Cdecl]<nint, nint, nint> SessionOptionsAppendExecutionProvider_CUDA_V2;
    // 205: OrtStatus* CreateCUDAProviderOptions(OrtCUDAProviderOptionsV2** out)
    public delegate* unmanaged[Cdecl]<nint*, nint> CreateCUDAProviderOptions;
    // 206: OrtStatus* UpdateCUDAProviderOptions(OrtCUDAProviderOptionsV2* cuda_options, const char* const* provider_options_keys, const char* const* provider_options_values, size_t num_keys)
    public delegate* unmanaged[Cdecl]<nint, byte**, byte**, nuint, nint> UpdateCUDAProviderOptions;
    public void* GetCUDAProviderOptionsAsString; // 207
    // 208: void ReleaseCUDAProviderOptions(OrtCUDAProviderOptionsV2* input)
    public delegate* unmanaged[Cdecl]<nint, void> ReleaseCUDAProviderOptions;
}
