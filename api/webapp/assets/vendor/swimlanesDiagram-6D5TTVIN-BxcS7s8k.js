import{I as t,D as o}from"./flowDiagram-MIYXRJYK-k3ia4YP-.js";import"./chunk-A3LLD7C6-Bjgjuwri.js";import"./chunk-CG7VIXT6-01qTKR5k.js";import"./chunk-AEP47HME-DDHq8Fdx.js";import{m as e}from"./mermaid.esm.min-Blqfbbjk.js";import"./chunk-C7QCCU7L-C4w960Bj.js";import"../index-B-kz8-Mo.js";var a=e(r=>`${o(r)}
  .swimlane.cluster:not([data-color-id]) rect {
    stroke: ${r.clusterBorder} !important;
  }
  [data-look="neo"].cluster rect {
    filter: none;
  }
`,"getStyles"),m=a,f=t({styles:m});export{f as diagram};
