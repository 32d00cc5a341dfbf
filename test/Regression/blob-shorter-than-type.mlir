// A leaf blob shorter than its type: the default pipeline returned other
// numbers with exit 0 (fuse-gates repacked it); with fuse-gates=false
// fold-weights read past it.
// RUN: not ht-opt %s --ht-to-llvm 2>&1 | FileCheck %s
// RUN: not ht-opt %s '--ht-to-llvm=fuse-gates=false' 2>&1 | FileCheck %s
// RUN: not ht-opt %s '--ht-to-llvm=fuse-gates=true' 2>&1 | FileCheck %s
// CHECK: error: dense_resource 'i_l0' holds 8 bytes of data but its type tensor<2x2x2xf32> declares 32 bytes
!g = !ht.matrix<[2, 2] x [2, 3], tree = (0, 1), leaf_ranks = [2, 2], node_ranks = [1], f32>
func.func @forward(%x: tensor<?x?x6xf32>, %h: tensor<?x4xf32>, %c: tensor<?x4xf32>) -> (tensor<?x?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>) {
  %wi = ht.constant leaves [dense_resource<i_l0> : tensor<2x2x2xf32>, dense_resource<i_l1> : tensor<2x3x2xf32>] transfers [dense_resource<i_t0> : tensor<2x2x1xf32>] : !g
  %wf = ht.constant leaves [dense_resource<f_l0> : tensor<2x2x2xf32>, dense_resource<f_l1> : tensor<2x3x2xf32>] transfers [dense_resource<f_t0> : tensor<2x2x1xf32>] : !g
  %wg = ht.constant leaves [dense_resource<g_l0> : tensor<2x2x2xf32>, dense_resource<g_l1> : tensor<2x3x2xf32>] transfers [dense_resource<g_t0> : tensor<2x2x1xf32>] : !g
  %wo = ht.constant leaves [dense_resource<o_l0> : tensor<2x2x2xf32>, dense_resource<o_l1> : tensor<2x3x2xf32>] transfers [dense_resource<o_t0> : tensor<2x2x1xf32>] : !g
  %whh = arith.constant dense_resource<whh> : tensor<16x4xf32>
  %bih = arith.constant dense_resource<bih> : tensor<16xf32>
  %o, %hn, %cn = ht.lstm per_gate %x, %h, %c weights(%wi, %wf, %wg, %wo, %whh) biases(%bih, %bih)
    : (tensor<?x?x6xf32>, tensor<?x4xf32>, tensor<?x4xf32>, !g, !g, !g, !g, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>)
   -> (tensor<?x?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>)
  return %o, %hn, %cn : tensor<?x?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>
}
{-#
  dialect_resources: {
    builtin: {
      i_l0: "0x04000000E2B37B3E0297F73E",
      i_l1: "0x04000000A7FF623FC98C983ED4424D3FDE0946BFE9627DBD35C101BF963EB33D7A6E173E194979BFCB0811BF60CFE1BE382B553F",
      i_t0: "0x040000002B0D083F5B482EBFA723183F7AF338BF",
      f_l0: "0x04000000F28A703E47213FBF5E177FBFC3283E3F22C214BF74AC11BFE6FF763F3BAC3E3F",
      f_l1: "0x0400000063C0D7BED8466C3FCAA8A03D3119B63E242717BF9BC7613FA437C33E84E16E3F8298493F480ACEBE3A248EBECF072BBF",
      f_t0: "0x040000008F6635BF02A65EBF8568CBBE562B533E",
      g_l0: "0x0400000091447EBF6534B63E5DFEA5BE639AC2BECD14233F45BC1DBDBBA0BCBEE6DB19BD",
      g_l1: "0x04000000C994D13EC6D062BF4040733FF74A74BF44CAFF3E3A94303FDABF76BF6F52133FF00689BE7BCE203E145A7BBF621368BF",
      g_t0: "0x04000000855E23BF570D693F83611BBFE2EF023F",
      o_l0: "0x04000000C8FB5B3F9253623F605A9FBE17B194BE795B4A3DD71B0D3F4BAD48BF0F5CFE3E",
      o_l1: "0x04000000182E183FDB29383FA03E6DBFEC3F643FDF5051BFEA14A3BE8CF9623E860F563FA6E1A3BE6E30593FF4E8B83D030DC0BE",
      o_t0: "0x04000000C998BBBEA22125BFAAF657BF91C733BF",
      whh: "0x04000000FCB6C13EFA527E3F034C2DBF2C2467BFA030793F8857893DC8BD40BED17B06BF376E403E3510273F8398B5BDB83D20BE587A63BF0B07553F2A3F6FBF6BE352BC9A462D3FB1253DBF7039ED3EFF4B663F6487853EFD75133FB66749BFEE0706BE1D9633BFF680303F8F1CD2BEA2E0BFBD3EA47F3F765A343F44B7733FDA4CBEBDC200C2BC5D03EB3E2BAF2BBD2BFED5BE0E0A45BE1EFD34BF08E77BBEF40D7A3FFD6C6B3F1B03823E919DB1BAD365A5BE955C52BF8827E9BECA64103F201A3C3F7F008EBE8D71123F71BF0C3F5F44C73E74F4A73E5EEF043F8BD88BBE7960D13E5268E0BE8688EABC571C0A3FD276C33E7318D3BECF1E643FE648993E8131253E",
      bih: "0x040000001A127ABF8679C03D854AFFBE2AC3AF3E49CD97BDD623223FB6F9963E6E62183F2AC49BBE4585933E0389F33E5808283FC48D99BEEA8D2F3F02653D3F67DBC03E"
    }
  }
#-}
